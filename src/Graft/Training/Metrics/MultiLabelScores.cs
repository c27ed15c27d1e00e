using static TorchSharp.torch;

namespace Graft.Training.Metrics;

/// <summary>
/// Multi-label metrics at a probability threshold: the share of (sample, label) decisions that are right
/// (<c>accuracy</c>) and the micro-averaged F1 over all labels (<c>f1</c>).
/// </summary>
/// <param name="threshold">Probability above which a label is predicted present.</param>
public sealed class MultiLabelScores(double threshold = 0.5) : Metric
{
    private long _right, _total, _truePositive, _falsePositive, _falseNegative;

    /// <inheritdoc/>
    public override string Name => "multilabel";

    /// <inheritdoc/>
    public override void Reset() => _right = _total = _truePositive = _falsePositive = _falseNegative = 0;

    /// <inheritdoc/>
    public override void Update(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var predicted = output.sigmoid().gt(threshold);
        var actual = target.gt(0.5);
        _right += predicted.eq(actual).sum().item<long>();
        _total += actual.numel();
        _truePositive += predicted.logical_and(actual).sum().item<long>();
        _falsePositive += predicted.logical_and(actual.logical_not()).sum().item<long>();
        _falseNegative += predicted.logical_not().logical_and(actual).sum().item<long>();
    }

    /// <inheritdoc/>
    public override void WriteTo(MetricValues values)
    {
        if (_total == 0) return;
        values.Set("accuracy", _right / (double)_total);
        long denominator = 2 * _truePositive + _falsePositive + _falseNegative;
        values.Set("f1", denominator == 0 ? 0 : 2.0 * _truePositive / denominator);
    }
}
