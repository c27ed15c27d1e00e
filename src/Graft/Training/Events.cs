using Graft.Data;
namespace Graft.Training;

// The learner's events, in the order they fire: PhaseStarted → FitStarted → (EpochStarted → StepEnded… →
// EpochEnded)… → FitEnded → PhaseEnded. Progress bars, plots, checkpoints and early stopping all listen to these.

/// <summary>A phase is about to train (raised by every <see cref="Learner.Fit(FitOptions, CancellationToken)"/>).</summary>
/// <param name="Phase">The phase's name.</param>
/// <param name="Index">The phase's position in the run, 0-based.</param>
/// <param name="Epochs">Epochs the phase will run.</param>
/// <param name="StartEpoch">The first epoch to run (above 0 when resuming).</param>
/// <param name="StepsPerEpoch">Optimizer steps per epoch.</param>
/// <param name="UsesFeatureCache">True when the head trains on cached features.</param>
/// <param name="TrainableParameters">Parameter scalars that will be updated.</param>
public sealed record FitStartedEventArgs(string Phase, int Index, int Epochs, int StartEpoch, int StepsPerEpoch, bool UsesFeatureCache,
    long TrainableParameters);

/// <summary>An epoch is starting.</summary>
public sealed record EpochStartedEventArgs(string Phase, int Epoch, int Epochs);

/// <summary>An optimizer step ended.</summary>
/// <param name="Phase">The phase's name.</param>
/// <param name="Epoch">Epoch within the phase, 0-based.</param>
/// <param name="Step">Step within the epoch, 0-based.</param>
/// <param name="StepsPerEpoch">Steps in the epoch.</param>
/// <param name="Loss">The batch's loss.</param>
/// <param name="SamplesPerSecond">Throughput of the step (data loading included).</param>
/// <param name="LearningRate">The head's learning rate used by the step.</param>
public sealed record StepEndedEventArgs(string Phase, int Epoch, int Step, int StepsPerEpoch, double Loss, double SamplesPerSecond,
    double LearningRate);

/// <summary>An epoch ended, validation done.</summary>
public sealed record EpochEndedEventArgs(EpochRecord Record);

/// <summary>A phase ended.</summary>
public sealed record FitEndedEventArgs(PhaseResult Result);

/// <summary>The data source skipped a sample.</summary>
public sealed record DataErrorEventArgs(string Phase, int Epoch, SkippedSample Error);

/// <summary>A strategy's phase boundary: a phase is about to be set up (freezing, unfreezing) and trained.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Phase">The phase's name.</param>
/// <param name="Description">What the phase does (e.g. "unfreeze the top 2 layers at lr 1e-4").</param>
public sealed record PhaseStartedEventArgs(string Strategy, string Phase, string Description);
