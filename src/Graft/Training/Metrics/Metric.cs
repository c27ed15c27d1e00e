using static TorchSharp.torch;

namespace Graft.Training.Metrics;

/// <summary>
/// A metric accumulated over the batches of an epoch. <see cref="Update"/> reads what it needs out of the tensors
/// at once (into .NET numbers), so it can be called inside a per-step dispose scope and keeps no tensor.
/// </summary>
public abstract class Metric
{
    /// <summary>The metric's name as it appears in results (<c>accuracy</c>, <c>mae</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Forgets everything accumulated.</summary>
    public abstract void Reset();

    /// <summary>Accumulates one batch.</summary>
    /// <param name="output">The model's raw output (logits for classification).</param>
    /// <param name="target">The batch's targets.</param>
    public abstract void Update(Tensor output, Tensor target);

    /// <summary>Writes the metric's values for the samples seen since the last reset.</summary>
    public abstract void WriteTo(MetricValues values);
}
