using Graft.Training.Schedules;

namespace Graft.Training;

/// <summary>One phase of training: how many epochs, at which peak learning rate and schedule. Unset values come from
/// the learner's <see cref="TrainOptions"/>.</summary>
/// <param name="Epochs">Epochs to run.</param>
public sealed record FitOptions(int Epochs)
{
    /// <summary>The phase's name in results and events.</summary>
    public string Phase { get; init; } = "fit";

    /// <summary>Peak learning rate of the head (and of every parameter of a model that is not a network).</summary>
    public double? LearningRate { get; init; }

    /// <summary>The schedule applied to the peak rate at each step.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The base layers' learning rate as a fraction of the head's (discriminative learning rates).</summary>
    public double? BaseLearningRateScale { get; init; }

    /// <summary>Early stopping for this phase.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// Train the head on features cached from one pass of the frozen base, when that gives the same result: the
    /// model is a <see cref="Layers.Network"/>, every base layer is frozen, and the training data does not vary
    /// between epochs. Otherwise the phase runs the frozen base under no-grad at every step.
    /// </summary>
    public bool CacheFeatures { get; init; }

    /// <summary>Cached features above this size go to a temporary file instead of memory (1 GiB by default).</summary>
    public long CacheMemoryLimitBytes { get; init; } = 1L << 30;
}
