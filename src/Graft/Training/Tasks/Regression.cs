using Graft.Training.Metrics;
using static TorchSharp.torch;

namespace Graft.Training.Tasks;

/// <summary>The loss of a <see cref="Regression"/> task.</summary>
public enum RegressionLoss
{
    /// <summary>Mean squared error.</summary>
    Mse,

    /// <summary>Mean absolute error.</summary>
    Mae,

    /// <summary>Huber loss: squared below the delta, absolute above (robust to outliers).</summary>
    Huber,
}

/// <summary>
/// Regression of one or more real values: outputs <c>[B]</c> or <c>[B, K]</c> against float targets of the same
/// number of elements. Metrics: MAE, RMSE, R².
/// </summary>
/// <param name="LossKind">The loss.</param>
/// <param name="HuberDelta">Where the Huber loss turns from squared to absolute.</param>
public sealed record Regression(RegressionLoss LossKind = RegressionLoss.Mse, double HuberDelta = 1) : LearningTask
{
    /// <inheritdoc/>
    public override string Kind => "regression";

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor target)
    {
        var y = target.to_type(output.dtype).reshape(output.shape);
        return LossKind switch
        {
            RegressionLoss.Mae => nn.functional.l1_loss(output, y),
            RegressionLoss.Huber => nn.functional.huber_loss(output, y, HuberDelta),
            _ => nn.functional.mse_loss(output, y),
        };
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Metric> CreateMetrics() => [new RegressionErrors()];

    /// <inheritdoc/>
    public override Tensor Predict(Tensor output) => output.alias();

    /// <inheritdoc/>
    protected override Dictionary<string, object> ToDictionary() =>
        new() { ["kind"] = Kind, ["loss"] = LossKind.ToString(), ["huber_delta"] = HuberDelta };
}
