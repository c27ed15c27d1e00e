namespace Graft.Weights;

/// <summary>
/// Ready-made key mappings for <see cref="StateDict.LoadInto"/>: each maps a key in the file to a key in the
/// model, or to null to ignore the file's tensor.
/// </summary>
public static class KeyRemap
{
    /// <summary>Removes <paramref name="prefix"/> where a key starts with it (e.g. "module." from DataParallel checkpoints).</summary>
    public static Func<string, string?> StripPrefix(string prefix) =>
        key => key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;

    /// <summary>Replaces a leading <paramref name="from"/> with <paramref name="to"/> (e.g. "fc." → "head.").</summary>
    public static Func<string, string?> RenamePrefix(string from, string to) =>
        key => key.StartsWith(from, StringComparison.Ordinal) ? to + key[from.Length..] : key;

    /// <summary>Ignores file keys starting with <paramref name="prefix"/> (e.g. a classifier to be replaced).</summary>
    public static Func<string, string?> DropPrefix(string prefix) =>
        key => key.StartsWith(prefix, StringComparison.Ordinal) ? null : key;

    /// <summary>Applies <paramref name="first"/>, then <paramref name="second"/> to its result (unless ignored).</summary>
    public static Func<string, string?> Then(this Func<string, string?> first, Func<string, string?> second) =>
        key => first(key) is { } mapped ? second(mapped) : null;
}
