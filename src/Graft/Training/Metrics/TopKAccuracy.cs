using static TorchSharp.torch;

namespace Graft.Training.Metrics;

/// <summary>Top-k accuracy: the share of samples whose target is among the <c>k</c> highest-scoring classes.</summary>
public sealed class TopKAccuracy : Metric
{
    private readonly int _k;
    private long _correct, _total;

    /// <summary>Creates a top-<paramref name="k"/> accuracy.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="k"/> is less than 1.</exception>
    public TopKAccuracy(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _k = k;
    }

    /// <inheritdoc/>
    public override string Name => $"top{_k}_accuracy";

    /// <inheritdoc/>
    public override void Reset() => _correct = _total = 0;

    /// <inheritdoc/>
    public override void Update(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        int k = (int)Math.Min(_k, output.shape[1]);
        var (_, top) = output.topk(k, dim: 1);
        _correct += top.eq(target.unsqueeze(1)).any(1).sum().item<long>();
        _total += target.shape[0];
    }

    /// <inheritdoc/>
    public override void WriteTo(MetricValues values) => values.Set(Name, _total == 0 ? double.NaN : _correct / (double)_total);
}
