using Graft.Data;
using Graft.Training.Optimizers;
using Graft.Training.Schedules;

namespace Graft.Training;

/// <summary>
/// Settings of a <see cref="Learner"/> that hold across phases. Presets: <see cref="Default"/> (AdamW, constant
/// rate) and <see cref="OneCycle"/> (fastai's policy).
/// </summary>
public sealed record TrainOptions
{
    /// <summary>AdamW at 1e-3, constant rate, no weight decay, no clipping.</summary>
    public static TrainOptions Default { get; } = new();

    /// <summary>AdamW with weight decay 0.01 and fastai's one-cycle schedule.</summary>
    public static TrainOptions OneCycle { get; } = new() { WeightDecay = 0.01, Schedule = LearningRateSchedule.OneCycle };

    /// <summary>Peak learning rate when a phase does not set one.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Schedule when a phase does not set one.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Weight decay of parameters with two or more dimensions (and of biases and norms if
    /// <see cref="DecayBiasAndNorm"/>).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Also decay one-dimensional parameters (biases, BatchNorm scales); off by default, as in timm.</summary>
    public bool DecayBiasAndNorm { get; init; }

    /// <summary>Clip gradients to this global L2 norm before each step (null: no clipping).</summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>Builds the optimizer from the learner's parameter groups; AdamW by default.</summary>
    public Func<IReadOnlyList<ParameterGroup>, Optimizer> Optimizer { get; init; } = groups => new AdamW(groups);

    /// <summary>The base layers' learning rate as a fraction of the head's when a phase does not set it.</summary>
    public double BaseLearningRateScale { get; init; } = 1;

    /// <summary>The metric that early stopping and keep-best watch (<c>val_loss</c>; <c>loss</c> without validation).</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Early stopping for phases that do not set their own.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Written atomically at the end of every epoch (weights, optimizer, schedule position, RNG, history) so
    /// that <see cref="Learner.Resume"/> can continue a killed run.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>A saved model (<see cref="SavedModel"/>) rewritten whenever the monitored metric improves.</summary>
    public string? BestModelPath { get; init; }

    /// <summary>What <see cref="BestModelPath"/> records about the model (architecture, classes, preprocessing);
    /// <see cref="ModelInfo.Describe"/> when null.</summary>
    public ModelInfo? ModelInfo { get; init; }

    /// <summary>When set, torch's generator is seeded with it at the start of a run (not when resuming).</summary>
    public long? Seed { get; init; }

    /// <summary>Batch size of <see cref="Learner.Predict(TorchSharp.torch.Tensor)"/>.</summary>
    public int PredictBatchSize { get; init; } = 64;
}
