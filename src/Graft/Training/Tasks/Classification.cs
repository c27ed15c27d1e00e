using Graft.Training.Metrics;
using static TorchSharp.torch;

namespace Graft.Training.Tasks;

/// <summary>
/// Single-label classification: softmax cross-entropy over logits <c>[B, C]</c> against class indices
/// (<c>int64 [B]</c>), with optional label smoothing (Szegedy et al., 2016). Metrics: accuracy, top-k accuracy,
/// confusion matrix with per-class precision/recall/F1.
/// </summary>
/// <param name="LabelSmoothing">Probability mass spread uniformly over all classes (0 for none; 0.1 is common).</param>
/// <param name="TopK">The k of the top-k accuracy (reported when the model has more than k classes).</param>
public sealed record Classification(double LabelSmoothing = 0, int TopK = 5) : LearningTask
{
    /// <inheritdoc/>
    public override string Kind => "classification";

    /// <inheritdoc/>
    public override Tensor Loss(Tensor output, Tensor target) =>
        nn.functional.cross_entropy(output, target, label_smoothing: LabelSmoothing);

    /// <inheritdoc/>
    public override IReadOnlyList<Metric> CreateMetrics() => [new Accuracy(), new TopKAccuracy(TopK), new ConfusionMatrix()];

    /// <inheritdoc/>
    /// <remarks>
    /// Accuracy only, as fastai and Keras report on training batches: top-k and the confusion matrix took 11 of the
    /// 14 ms that metrics added to a 10,000-vector cached-head epoch (~55 ms in all), and describe a model that
    /// changes while they are counted. Validation and evaluation report all three.
    /// </remarks>
    public override IReadOnlyList<Metric> CreateTrainingMetrics() => [new Accuracy()];

    /// <inheritdoc/>
    public override Tensor Predict(Tensor output) => output.softmax(1);

    /// <inheritdoc/>
    protected override Dictionary<string, object> ToDictionary() =>
        new() { ["kind"] = Kind, ["label_smoothing"] = LabelSmoothing, ["top_k"] = TopK };
}
