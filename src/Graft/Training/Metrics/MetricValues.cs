using System.Globalization;

namespace Graft.Training.Metrics;

/// <summary>Metric values of one pass over a dataset: named scalars (<c>loss</c>, <c>accuracy</c>, …) and, for
/// single-label classification, the confusion matrix with per-class precision, recall and F1.</summary>
public sealed class MetricValues
{
    private readonly Dictionary<string, double> _scalars = new();

    /// <summary>The scalar values by name.</summary>
    public IReadOnlyDictionary<string, double> Scalars => _scalars;

    /// <summary>The confusion matrix, when the task is single-label classification.</summary>
    public ConfusionMatrix? Confusion { get; set; }

    /// <summary>Number of samples the values were computed over.</summary>
    public long Samples { get; set; }

    /// <summary>The value named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">When there is no such value; the message lists those there are.</exception>
    public double this[string name] => _scalars.TryGetValue(name, out double value)
        ? value
        : throw new KeyNotFoundException($"No metric named '{name}'. Metrics: {string.Join(", ", _scalars.Keys)}.");

    /// <summary>Sets a value.</summary>
    public void Set(string name, double value) => _scalars[name] = value;

    /// <summary>True when a value named <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => _scalars.ContainsKey(name);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(", ", _scalars.Select(kv => $"{kv.Key} {kv.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
