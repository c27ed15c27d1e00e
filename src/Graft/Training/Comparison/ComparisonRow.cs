namespace Graft.Training.Comparison;

/// <summary>One strategy at one number of shots, over every seed.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Shots">Labelled training examples per class.</param>
/// <param name="Mean">Mean test value of the compared metric over the seeds.</param>
/// <param name="Std">Sample standard deviation over the seeds (0 for a single seed).</param>
/// <param name="Seconds">Mean training time of one run, in seconds.</param>
/// <param name="TrainableParameters">Parameters trained (the largest phase's count).</param>
/// <param name="Runs">Number of seeds that finished.</param>
public sealed record ComparisonRow(string Strategy, int Shots, double Mean, double Std, double Seconds, long TrainableParameters, int Runs);
