using Graft.Training;

namespace Graft.Experiments;

/// <summary>One training run of the demo: a strategy, a k, a seed, its test accuracy and its history.</summary>
public sealed record DemoRun(string Strategy, int K, int Seed, double Accuracy, double TrainSeconds, RunResult History,
    long[,] Confusion);
