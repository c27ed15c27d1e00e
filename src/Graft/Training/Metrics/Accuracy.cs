using static TorchSharp.torch;

namespace Graft.Training.Metrics;

/// <summary>Single-label accuracy: the share of samples whose highest-scoring class is the target.</summary>
public sealed class Accuracy : Metric
{
    private long _correct, _total;

    /// <inheritdoc/>
    public override string Name => "accuracy";

    /// <inheritdoc/>
    public override void Reset() => _correct = _total = 0;

    /// <inheritdoc/>
    public override void Update(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        _correct += output.argmax(1).eq(target).sum().item<long>();
        _total += target.shape[0];
    }

    /// <inheritdoc/>
    public override void WriteTo(MetricValues values) => values.Set(Name, _total == 0 ? double.NaN : _correct / (double)_total);
}
