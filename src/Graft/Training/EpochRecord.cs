using Graft.Training.Metrics;

namespace Graft.Training;

/// <summary>What one epoch of one phase produced.</summary>
/// <param name="Phase">The phase's name (<c>head</c>, <c>fine-tune</c>, <c>fit</c>).</param>
/// <param name="Epoch">The epoch number within the phase, 0-based.</param>
/// <param name="Train">Loss and metrics over the epoch's training batches (running, in training mode).</param>
/// <param name="Validation">Loss and metrics on the validation data, in inference mode; null without validation
/// data or when the epoch was cut short.</param>
/// <param name="LearningRate">The head's learning rate at the epoch's last step.</param>
/// <param name="Duration">Wall time of the epoch, validation included.</param>
/// <param name="DataErrors">Samples the data source skipped during the epoch.</param>
/// <param name="Steps">Optimizer steps taken.</param>
public sealed record EpochRecord(string Phase, int Epoch, MetricValues Train, MetricValues? Validation, double LearningRate,
    TimeSpan Duration, int DataErrors, int Steps)
{
    /// <summary>A metric by Keras-style name: <c>loss</c>, <c>accuracy</c> (training) or <c>val_loss</c>,
    /// <c>val_accuracy</c> (validation).</summary>
    /// <exception cref="KeyNotFoundException">When the metric does not exist (or there was no validation).</exception>
    public double this[string name]
    {
        get
        {
            if (!name.StartsWith("val_", StringComparison.Ordinal)) return Train[name];
            if (Validation is null) throw new KeyNotFoundException($"Metric '{name}' needs validation data; epoch {Epoch} of phase '{Phase}' has none.");
            return Validation[name[4..]];
        }
    }

    /// <summary>True when <paramref name="name"/> (with or without <c>val_</c>) has a value.</summary>
    public bool Has(string name) => name.StartsWith("val_", StringComparison.Ordinal)
        ? Validation?.Contains(name[4..]) == true
        : Train.Contains(name);
}
