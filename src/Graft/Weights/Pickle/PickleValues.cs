using System.Numerics;

namespace Graft.Weights.Pickle;

/// <summary>
/// How unpickled Python values appear in C#: None → null, bool, int → <see cref="long"/> (or
/// <see cref="BigInteger"/> beyond 64 bits), float → <see cref="double"/>, str → <see cref="string"/>,
/// bytes → <see cref="byte"/>[], tuple → <see cref="object"/>?[], list → <see cref="List{T}"/>,
/// dict → <see cref="PickleDict"/>, allowed globals → <see cref="PickleCallable"/> or <see cref="PickleTypeToken"/>.
/// </summary>
public static class PickleValues
{
    /// <summary>A short description of a value's Python type, for error messages.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "a bool",
        long or BigInteger => "an int",
        double => "a float",
        string s => s.Length <= 40 ? $"the str '{s}'" : "a str",
        byte[] => "bytes",
        object?[] t => $"a tuple of {t.Length}",
        List<object?> => "a list",
        PickleDict => "a dict",
        PickleCallable c => c.QualifiedName,
        PickleTypeToken t => t.QualifiedName,
        _ => value.GetType().Name,
    };
}
