using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Training.Metrics;

namespace Graft.Training.Checkpoints;

/// <summary>Training history (phases, epochs, metric values, confusion matrices) to and from JSON, so a resumed run
/// reports the epochs it ran before it was killed.</summary>
internal static class HistoryJson
{
    public static JsonNode Phase(PhaseResult phase) => new JsonObject
    {
        ["name"] = phase.Name,
        ["stop"] = phase.Stop.ToString(),
        ["message"] = phase.Message,
        ["best_epoch"] = phase.BestEpoch,
        ["feature_cache"] = phase.UsedFeatureCache,
        ["epochs"] = new JsonArray(phase.Epochs.Select(Epoch).ToArray()),
    };

    public static PhaseResult ReadPhase(JsonNode node) => new(
        (string)node["name"]!,
        node["epochs"]!.AsArray().Select(e => ReadEpoch(e!)).ToList(),
        Enum.Parse<StopReason>((string)node["stop"]!),
        (string?)node["message"],
        (int?)node["best_epoch"],
        (bool)node["feature_cache"]!);

    public static JsonNode Epoch(EpochRecord epoch) => new JsonObject
    {
        ["phase"] = epoch.Phase,
        ["epoch"] = epoch.Epoch,
        ["train"] = Values(epoch.Train),
        ["validation"] = epoch.Validation is null ? null : Values(epoch.Validation),
        ["lr"] = Number(epoch.LearningRate),
        ["duration_ms"] = epoch.Duration.TotalMilliseconds,
        ["data_errors"] = epoch.DataErrors,
        ["steps"] = epoch.Steps,
    };

    public static EpochRecord ReadEpoch(JsonNode node) => new(
        (string)node["phase"]!,
        (int)node["epoch"]!,
        ReadValues(node["train"]!),
        node["validation"] is { } v ? ReadValues(v) : null,
        ReadNumber(node["lr"]),
        TimeSpan.FromMilliseconds((double)node["duration_ms"]!),
        (int)node["data_errors"]!,
        (int)node["steps"]!);

    private static JsonNode Values(MetricValues values)
    {
        var scalars = new JsonObject();
        foreach (var (name, value) in values.Scalars) scalars[name] = Number(value);
        var node = new JsonObject { ["samples"] = values.Samples, ["scalars"] = scalars };
        if (values.Confusion is { } confusion)
        {
            var counts = confusion.ToArray();
            node["confusion"] = new JsonArray(Enumerable.Range(0, confusion.Classes)
                .Select(i => (JsonNode)new JsonArray(Enumerable.Range(0, confusion.Classes).Select(j => (JsonNode)counts[i, j]).ToArray()))
                .ToArray());
        }
        return node;
    }

    private static MetricValues ReadValues(JsonNode node)
    {
        var values = new MetricValues { Samples = (long)node["samples"]! };
        foreach (var (name, value) in node["scalars"]!.AsObject()) values.Set(name, ReadNumber(value));
        if (node["confusion"] is JsonArray rows) values.Confusion = ConfusionMatrix.FromCounts(rows.Select(r => r!.AsArray().Select(c => (long)c!).ToArray()).ToArray());
        return values;
    }

    // JSON has no NaN or infinity; they travel as strings.
    private static JsonNode Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    private static double ReadNumber(JsonNode? node) => node!.GetValueKind() == JsonValueKind.String
        ? double.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture)
        : (double)node!;
}
