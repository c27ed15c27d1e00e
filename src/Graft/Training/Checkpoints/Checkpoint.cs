using System.Globalization;
using System.Text.Json.Nodes;
using Graft.Training.Optimizers;
using Graft.Weights;
using static TorchSharp.torch;

namespace Graft.Training.Checkpoints;

/// <summary>
/// Everything needed to continue a killed run so that it ends with the same weights as an uninterrupted one: model
/// weights and buffers, optimizer state, the phase and epoch reached (which fixes the schedule position and the
/// data order), torch's generator state, early-stopping state and the history so far. Stored as one safetensors
/// file (tensors prefixed <c>model.</c>, <c>optim.</c>, <c>best.</c>, <c>rng.</c>; the rest as JSON in
/// <c>__metadata__</c>), written atomically at the end of each epoch.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    internal const string Format = "graft.checkpoint/1";

    /// <summary>The strategy being run, or null for plain <see cref="Learner.Fit(FitOptions, CancellationToken)"/> calls.</summary>
    public string? Strategy { get; init; }

    /// <summary>Position of the current phase in the run.</summary>
    public int PhaseIndex { get; init; }

    /// <summary>Name of the current phase.</summary>
    public string Phase { get; init; } = "";

    /// <summary>Epochs of the current phase already done.</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>True when the current phase ended (all epochs, early stop or divergence) at this checkpoint.</summary>
    public bool PhaseFinished { get; init; }

    /// <summary>Why the phase ended, when <see cref="PhaseFinished"/>.</summary>
    public StopReason Stop { get; init; }

    /// <summary>Phases of the run that ended before the current one.</summary>
    public IReadOnlyList<PhaseResult> CompletedPhases { get; init; } = [];

    /// <summary>The current phase's epochs so far.</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; init; } = [];

    /// <summary>Best monitored value so far in the phase.</summary>
    public double? BestValue { get; init; }

    /// <summary>Epoch of <see cref="BestValue"/>.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; init; }

    internal Dictionary<string, Tensor> Model { get; init; } = new();

    internal OptimizerState Optimizer { get; init; } = new();

    internal Tensor? RandomState { get; init; }

    internal Dictionary<string, Tensor>? BestWeights { get; init; }

    // The file's tensors when read from disk: the dictionaries above point into it, and it owns them.
    private StateDict? _file;

    /// <summary>Reads a checkpoint.</summary>
    /// <exception cref="WeightFileException">When the file is missing, damaged or not a Graft checkpoint; the message
    /// names the file and the fault.</exception>
    public static Checkpoint Read(string path)
    {
        var file = SafeTensors.Read(path);
        var metadata = file.Metadata;
        try
        {
            if (!metadata.TryGetValue("format", out var format) || format != Format)
                throw new WeightFileException(path, $"is not a Graft checkpoint (metadata 'format' is '{format}', expected '{Format}').");
            var state = JsonNode.Parse(metadata["graft.checkpoint"])!;
            var optimizer = new OptimizerState();
            foreach (var (name, steps) in state["optimizer_steps"]!.AsObject()) optimizer.Steps[name] = (long)steps!;
            foreach (var (name, lr) in state["learning_rates"]!.AsObject()) optimizer.LearningRates[name] = (double)lr!;
            var model = new Dictionary<string, Tensor>();
            var best = new Dictionary<string, Tensor>();
            Tensor? rng = null;
            foreach (var (key, tensor) in file)
            {
                if (key.StartsWith("model.", StringComparison.Ordinal)) model[key[6..]] = tensor;
                else if (key.StartsWith("optim.", StringComparison.Ordinal)) optimizer.Tensors[key[6..]] = tensor;
                else if (key.StartsWith("best.", StringComparison.Ordinal)) best[key[5..]] = tensor;
                else if (key == "rng.cpu") rng = tensor;
                else throw new WeightFileException(path, $"holds an unexpected tensor '{key}'.");
            }
            return new Checkpoint
            {
                Strategy = (string?)state["strategy"],
                PhaseIndex = (int)state["phase_index"]!,
                Phase = (string)state["phase"]!,
                EpochsCompleted = (int)state["epochs_completed"]!,
                PhaseFinished = (bool)state["phase_finished"]!,
                Stop = Enum.Parse<StopReason>((string)state["stop"]!),
                CompletedPhases = state["completed_phases"]!.AsArray().Select(p => HistoryJson.ReadPhase(p!)).ToList(),
                Epochs = state["epochs"]!.AsArray().Select(e => HistoryJson.ReadEpoch(e!)).ToList(),
                BestValue = state["best_value"] is { } b ? double.Parse((string)b!, CultureInfo.InvariantCulture) : null,
                BestEpoch = (int?)state["best_epoch"],
                EpochsWithoutImprovement = (int)state["wait"]!,
                Model = model,
                Optimizer = optimizer,
                RandomState = rng,
                BestWeights = best.Count > 0 ? best : null,
                _file = file,
            };
        }
        catch (Exception e)
        {
            file.Dispose();
            if (e is KeyNotFoundException or NullReferenceException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
                throw new WeightFileException(path, $"has damaged checkpoint metadata: {e.Message}", e);
            throw;
        }
    }

    /// <summary>Writes the checkpoint atomically (a crash leaves the previous file intact).</summary>
    internal void Write(string path)
    {
        var state = new JsonObject
        {
            ["strategy"] = Strategy,
            ["phase_index"] = PhaseIndex,
            ["phase"] = Phase,
            ["epochs_completed"] = EpochsCompleted,
            ["phase_finished"] = PhaseFinished,
            ["stop"] = Stop.ToString(),
            ["completed_phases"] = new JsonArray(CompletedPhases.Select(HistoryJson.Phase).ToArray()),
            ["epochs"] = new JsonArray(Epochs.Select(HistoryJson.Epoch).ToArray()),
            // As text: "R" round-trips every double, infinities included.
            ["best_value"] = BestValue is { } best ? best.ToString("R", CultureInfo.InvariantCulture) : null,
            ["best_epoch"] = BestEpoch,
            ["wait"] = EpochsWithoutImprovement,
            ["optimizer_steps"] = new JsonObject(Optimizer.Steps.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["learning_rates"] = new JsonObject(Optimizer.LearningRates.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["graft.version"] = GraftVersion.Current,
            ["graft.checkpoint"] = state.ToJsonString(),
        };
        var tensors = Model.Select(kv => ($"model.{kv.Key}", kv.Value))
            .Concat(Optimizer.Tensors.Select(kv => ($"optim.{kv.Key}", kv.Value)))
            .Concat((BestWeights ?? []).Select(kv => ($"best.{kv.Key}", kv.Value)));
        if (RandomState is not null) tensors = tensors.Append(("rng.cpu", RandomState));
        SafeTensors.Write(path, tensors.Select(t => KeyValuePair.Create(t.Item1, t.Item2)), metadata);
    }

    /// <summary>Disposes the tensors read from the file (a checkpoint being written holds none of its own).</summary>
    public void Dispose() => _file?.Dispose();
}
