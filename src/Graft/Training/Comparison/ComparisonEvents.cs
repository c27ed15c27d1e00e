using Graft.Data;

namespace Graft.Training.Comparison;

// A comparison's events, in order for each run: RunStarted → LearnerCreated → (the learner's own events) → RunEnded.

/// <summary>Makes the batches of one run's k-shot sample (<paramref name="training"/> true) or of the test data.</summary>
/// <param name="source">The images: a k-shot sample of the training data, or the test data.</param>
/// <param name="training">True for a training sample (shuffled, augmented), false for the test data.</param>
/// <param name="seed">The run's seed, for shuffling and augmentation.</param>
public delegate IBatchSource BatchSourceFactory(IImageSource source, bool training, int seed);

/// <summary>A run is about to start.</summary>
/// <param name="Run">The run.</param>
/// <param name="Index">Its position, 0-based.</param>
/// <param name="Count">Runs in the whole comparison.</param>
public sealed record ComparisonRunStartedEventArgs(ComparisonRun Run, int Index, int Count);

/// <summary>A run's learner is ready: subscribe to its events for progress (it is disposed when the run ends).</summary>
public sealed record LearnerCreatedEventArgs(ComparisonRun Run, Learner Learner);

/// <summary>A run finished and was scored on the test data.</summary>
/// <param name="Result">What it produced.</param>
/// <param name="Index">Its position, 0-based.</param>
/// <param name="Count">Runs in the whole comparison.</param>
public sealed record ComparisonRunEndedEventArgs(ComparisonRunResult Result, int Index, int Count);
