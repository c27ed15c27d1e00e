using static TorchSharp.torch;

namespace Graft.Training.Metrics;

/// <summary>
/// Regression metrics over all output values: mean absolute error (<c>mae</c>), root mean squared error
/// (<c>rmse</c>) and the coefficient of determination (<c>r2</c>, 1 − SSE/SST, pooled over outputs). Sums are
/// kept in double precision.
/// </summary>
public sealed class RegressionErrors : Metric
{
    private double _absolute, _squared, _sum, _sumSquares;
    private long _count;

    /// <inheritdoc/>
    public override string Name => "regression";

    /// <inheritdoc/>
    public override void Reset() => _absolute = _squared = _sum = _sumSquares = _count = 0;

    /// <inheritdoc/>
    public override void Update(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var y = target.to_type(ScalarType.Float64).reshape(output.shape);
        var error = output.to_type(ScalarType.Float64) - y;
        _absolute += error.abs().sum().item<double>();
        _squared += error.square().sum().item<double>();
        _sum += y.sum().item<double>();
        _sumSquares += y.square().sum().item<double>();
        _count += y.numel();
    }

    /// <inheritdoc/>
    public override void WriteTo(MetricValues values)
    {
        if (_count == 0) return;
        values.Set("mae", _absolute / _count);
        values.Set("rmse", Math.Sqrt(_squared / _count));
        double total = _sumSquares - _sum * _sum / _count;
        values.Set("r2", total <= 0 ? double.NaN : 1 - _squared / total);
    }
}
