using System.Globalization;
using System.Text.Json;

namespace Graft.Bench;

/// <summary>What one worker process measured: the workload's headline value and named side figures.</summary>
public sealed record Measurement(double Value, IReadOnlyDictionary<string, double> Extra)
{
    /// <summary>The prefix of the one line a worker prints its result on (everything else it prints is log).</summary>
    public const string LinePrefix = "RESULT ";

    /// <summary>The result line: <c>RESULT {"value": …, "extra": {…}}</c>.</summary>
    public string ToLine() => LinePrefix + JsonSerializer.Serialize(new { value = Value, extra = Extra });

    /// <summary>Reads the result line out of a worker's standard output.</summary>
    /// <exception cref="FormatException">When no result line is there.</exception>
    public static Measurement Parse(string stdout)
    {
        string? line = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(LinePrefix, StringComparison.Ordinal))
            ?? throw new FormatException($"No '{LinePrefix.Trim()}' line in the worker's output:\n{stdout}");
        using var json = JsonDocument.Parse(line[LinePrefix.Length..]);
        var root = json.RootElement;
        var extra = new Dictionary<string, double>();
        if (root.TryGetProperty("extra", out var e))
            foreach (var p in e.EnumerateObject()) extra[p.Name] = p.Value.GetDouble();
        return new Measurement(root.GetProperty("value").GetDouble(), extra);
    }

    /// <summary>A value as the report writes it.</summary>
    public static string Format(double value) =>
        value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);
}
