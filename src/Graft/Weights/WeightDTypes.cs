using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>
/// The element types weight files may hold, as safetensors spells them (<c>F32</c>, <c>BF16</c>, …) and as
/// <c>torch.save</c> names its storage classes (<c>FloatStorage</c>, …).
/// </summary>
internal static class WeightDTypes
{
    private static readonly (string SafeTensors, string TorchStorage, ScalarType Type)[] Table =
    [
        ("F64", "DoubleStorage", ScalarType.Float64),
        ("F32", "FloatStorage", ScalarType.Float32),
        ("F16", "HalfStorage", ScalarType.Float16),
        ("BF16", "BFloat16Storage", ScalarType.BFloat16),
        ("I64", "LongStorage", ScalarType.Int64),
        ("I32", "IntStorage", ScalarType.Int32),
        ("I16", "ShortStorage", ScalarType.Int16),
        ("I8", "CharStorage", ScalarType.Int8),
        ("U8", "ByteStorage", ScalarType.Byte),
        ("BOOL", "BoolStorage", ScalarType.Bool),
    ];

    /// <summary>The safetensors dtype names Graft reads and writes, for error messages.</summary>
    public static string SupportedSafeTensorsNames => string.Join(", ", Table.Select(t => t.SafeTensors));

    /// <summary>The storage classes of the <c>torch</c> module that name an element type (FloatStorage, …).</summary>
    public static IEnumerable<(string ClassName, ScalarType Type)> TorchStorageClasses =>
        Table.Select(t => (t.TorchStorage, t.Type)).Append(("UntypedStorage", ScalarType.Byte));

    public static bool TryFromSafeTensors(string name, out ScalarType type)
    {
        foreach (var row in Table)
        {
            if (row.SafeTensors == name)
            {
                type = row.Type;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <exception cref="NotSupportedException">When safetensors has no name for <paramref name="type"/>.</exception>
    public static string ToSafeTensors(ScalarType type)
    {
        foreach (var row in Table)
        {
            if (row.Type == type) return row.SafeTensors;
        }
        throw new NotSupportedException(
            $"safetensors has no dtype for {type}; supported: {SupportedSafeTensorsNames}.");
    }

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"Weight files cannot hold {type} tensors."),
    };
}
