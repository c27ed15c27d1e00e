using Graft.Training.Metrics;
using static TorchSharp.torch;

namespace Graft.Training.Tasks;

/// <summary>
/// Multi-label classification: one sigmoid per label, binary cross-entropy on logits <c>[B, C]</c> against multi-hot
/// targets (<c>float32 [B, C]</c>). Metrics: per-decision accuracy and micro F1 at <paramref name="Threshold"/>.
/// </summary>
/// <param name="Threshold">Probability above which a label counts as predicted.</param>
public sealed record MultiLabel(double Threshold = 0.5) : LearningTask
{
    /// <inheritdoc/>
    public override string Kind => "multilabel";

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor target) =>
        nn.functional.binary_cross_entropy_with_logits(output, target.to_type(output.dtype));

    /// <inheritdoc/>
    public override IReadOnlyList<Metric> CreateMetrics() => [new MultiLabelScores(Threshold)];

    /// <inheritdoc/>
    public override Tensor Predict(Tensor output) => output.sigmoid();

    /// <inheritdoc/>
    protected override Dictionary<string, object> ToDictionary() => new() { ["kind"] = Kind, ["threshold"] = Threshold };
}
