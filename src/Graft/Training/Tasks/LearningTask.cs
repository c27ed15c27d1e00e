using System.Text.Json;
using Graft.Training.Metrics;
using static TorchSharp.torch;

namespace Graft.Training.Tasks;

/// <summary>
/// What a model learns to predict: it fixes the loss, the metrics and how raw outputs become predictions.
/// </summary>
public abstract record LearningTask
{
    /// <summary>The task's kind as saved in model metadata (<c>classification</c>, <c>multilabel</c>, <c>regression</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>The mean loss of a batch.</summary>
    /// <param name="output">Raw model output.</param>
    /// <param name="target">Targets as the task expects them.</param>
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <summary>New accumulators for the task's metrics.</summary>
    public abstract IReadOnlyList<Metric> CreateMetrics();

    /// <summary>
    /// New accumulators for the metrics kept over training batches while fitting (updated every step, so they must
    /// be cheap); validation and <c>Evaluate</c> use <see cref="CreateMetrics"/>. By default the same set.
    /// </summary>
    public virtual IReadOnlyList<Metric> CreateTrainingMetrics() => CreateMetrics();

    /// <summary>Turns raw outputs into predictions (probabilities for classification, values for regression).</summary>
    public abstract Tensor Predict(Tensor output);

    /// <summary>The task as JSON, for model metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(ToDictionary());

    /// <summary>The task's settings as a dictionary (its <see cref="Kind"/> included).</summary>
    protected abstract Dictionary<string, object> ToDictionary();

    /// <summary>Reads a task written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">When the JSON is not a task Graft knows.</exception>
    public static LearningTask FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            double Number(string name, double fallback) =>
                root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
            string kind = root.GetProperty("kind").GetString() ?? "";
            return kind switch
            {
                "classification" => new Classification(Number("label_smoothing", 0), (int)Number("top_k", 5)),
                "multilabel" => new MultiLabel(Number("threshold", 0.5)),
                "regression" => new Regression(
                    Enum.Parse<RegressionLoss>(root.TryGetProperty("loss", out var l) ? l.GetString() ?? "Mse" : "Mse", ignoreCase: true),
                    Number("huber_delta", 1)),
                _ => throw new FormatException($"Unknown task kind '{kind}'; expected classification, multilabel or regression."),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"Task metadata '{json}' is not valid: {e.Message}", e);
        }
    }
}
