using Graft.Training.Metrics;

namespace Graft.Training.Comparison;

/// <summary>What one <see cref="ComparisonRun"/> produced.</summary>
/// <param name="Run">The run.</param>
/// <param name="History">Each phase's per-epoch history (training metrics only: runs see nothing but their sample).</param>
/// <param name="Test">The trained model's scores on the held-out test data, confusion matrix included.</param>
/// <param name="Duration">Wall time of training (feature caching included, the final test pass excluded).</param>
/// <param name="TrainableParameters">The most parameters any phase of the run trained.</param>
public sealed record ComparisonRunResult(ComparisonRun Run, RunResult History, MetricValues Test, TimeSpan Duration, long TrainableParameters);
