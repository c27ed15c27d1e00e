using System.Globalization;

namespace Graft.Text;

/// <summary>Reads typed values from string → string metadata (a safetensors <c>__metadata__</c>), with errors that
/// name the key and the value found.</summary>
internal static class MetadataValues
{
    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <exception cref="FormatException">When the key is missing.</exception>
    public static string Required(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) ? value : throw new FormatException($"metadata has no '{key}' key");

    /// <summary>An integer of at least <paramref name="minimum"/>.</summary>
    /// <exception cref="FormatException">When the key is missing or the value is not such an integer.</exception>
    public static int Int(IReadOnlyDictionary<string, string> metadata, string key, int minimum)
    {
        string text = Required(metadata, key);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < minimum)
            throw new FormatException($"metadata '{key}' is '{text}'; expected an integer of at least {minimum}");
        return value;
    }

    /// <summary>A number in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    /// <exception cref="FormatException">When the key is missing or the value is not such a number.</exception>
    public static double Double(IReadOnlyDictionary<string, string> metadata, string key, double minimum, double maximum)
    {
        string text = Required(metadata, key);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= minimum && value <= maximum))
            throw new FormatException($"metadata '{key}' is '{text}'; expected a number in [{minimum}, {maximum}]");
        return value;
    }

    /// <summary>One of the named <paramref name="choices"/>.</summary>
    /// <exception cref="FormatException">When the key is missing or holds another value.</exception>
    public static T Choice<T>(IReadOnlyDictionary<string, string> metadata, string key, params (string Text, T Value)[] choices)
    {
        string value = Required(metadata, key);
        foreach (var (text, result) in choices)
            if (text == value) return result;
        throw new FormatException(
            $"metadata '{key}' is '{value}'; expected one of {string.Join(", ", choices.Select(c => $"'{c.Text}'"))}");
    }

    /// <summary>Formats a number for metadata (invariant culture, round-trippable).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats an integer for metadata.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
