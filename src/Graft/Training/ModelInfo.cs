using System.Text.Json;
using Graft.Layers;
using Graft.Training.Tasks;
using Graft.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// What a saved model needs besides its weights to be rebuilt and used: the architecture name (looked up in
/// <see cref="ModelBuilders"/>), the class names, the task, the preprocessing and the number of outputs.
/// </summary>
/// <param name="Architecture">Architecture name known to a builder (<c>resnet18</c>, <c>resnet_mini</c>).</param>
public sealed record ModelInfo(string Architecture)
{
    /// <summary>Class names in output order (empty for regression).</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>The task the model was trained for.</summary>
    public LearningTask Task { get; init; } = new Classification();

    /// <summary>Preprocessing as JSON (resize, crop, mean, std, …), as the data pipeline writes it; null when unknown.</summary>
    public string? Preprocessing { get; init; }

    /// <summary>Width of the model's output (classes, labels or regression targets).</summary>
    public int Outputs { get; init; }

    /// <summary>Name of the head layer, for networks.</summary>
    public string? HeadName { get; init; }

    /// <summary>Channels of the input images (1 for grayscale models such as resnet_mini), when known.</summary>
    public int? InputChannels { get; init; }

    /// <summary>
    /// More <c>__metadata__</c> entries that the model needs to be rebuilt and used, beyond Graft's own (a text
    /// model's architecture, vocabulary and tokenizer settings). Written as given; on reading, every entry outside
    /// Graft's own keys (<c>format</c>, <c>graft.*</c>) comes back here.
    /// </summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>A description of <paramref name="model"/>: its name as architecture, its head's output width.</summary>
    public static ModelInfo Describe(nn.Module<Tensor, Tensor> model, LearningTask task)
    {
        var network = model as Network;
        nn.Module head = network?.Head.Module ?? model;
        var lastLinear = head.modules().Prepend(head).OfType<Linear>().LastOrDefault();
        return new ModelInfo(model.GetName())
        {
            Task = task,
            Outputs = lastLinear is null ? 0 : (int)lastLinear.out_features,
            HeadName = network?.HeadName,
            InputChannels = model.modules().OfType<Conv2d>().FirstOrDefault() is { } stem ? (int)stem.in_channels : null,
        };
    }

    /// <summary>The metadata entries written into a saved model's <c>__metadata__</c>.</summary>
    internal Dictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["graft.version"] = GraftVersion.Current,
            ["graft.architecture"] = Architecture,
            ["graft.classes"] = JsonSerializer.Serialize(ClassNames),
            ["graft.task"] = Task.ToJson(),
            ["graft.outputs"] = Outputs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (Preprocessing is not null) metadata["graft.preprocessing"] = Preprocessing;
        if (HeadName is not null) metadata["graft.head"] = HeadName;
        if (InputChannels is int channels) metadata["graft.in_channels"] = channels.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in Extra)
        {
            if (IsGraftKey(key))
                throw new InvalidOperationException($"Extra metadata key '{key}' is reserved for Graft's own entries (format, graft.*); choose another key.");
            metadata[key] = value;
        }
        return metadata;
    }

    /// <summary>Reads the entries written by <see cref="ToMetadata"/>.</summary>
    /// <exception cref="WeightFileException">When an entry is missing or malformed; the message names the file and key.</exception>
    internal static ModelInfo FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        string Require(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new WeightFileException(path, $"is not a Graft model: its metadata has no '{key}' (keys: {string.Join(", ", metadata.Keys)}).");
        try
        {
            return new ModelInfo(Require("graft.architecture"))
            {
                ClassNames = JsonSerializer.Deserialize<string[]>(Require("graft.classes")) ?? [],
                Task = LearningTask.FromJson(Require("graft.task")),
                Outputs = int.Parse(Require("graft.outputs"), System.Globalization.CultureInfo.InvariantCulture),
                Preprocessing = metadata.GetValueOrDefault("graft.preprocessing"),
                HeadName = metadata.GetValueOrDefault("graft.head"),
                InputChannels = metadata.TryGetValue("graft.in_channels", out var channels)
                    ? int.Parse(channels, System.Globalization.CultureInfo.InvariantCulture) : null,
                Extra = metadata.Where(kv => !IsGraftKey(kv.Key)).ToDictionary(),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new WeightFileException(path, $"has malformed Graft metadata: {e.Message}", e);
        }
    }

    private static bool IsGraftKey(string key) => key == "format" || key.StartsWith("graft.", StringComparison.Ordinal);
}
