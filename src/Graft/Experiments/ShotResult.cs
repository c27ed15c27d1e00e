namespace Graft.Experiments;

/// <summary>One strategy at one number of labelled examples per class, over several seeds.</summary>
/// <param name="Strategy">scratch, feature-extraction or fine-tune.</param>
/// <param name="K">Labelled training images per class.</param>
/// <param name="Mean">Mean test accuracy over the seeds.</param>
/// <param name="Std">Standard deviation of the test accuracy over the seeds (population, n = seeds).</param>
/// <param name="Seconds">Mean training time of one run, in seconds (evaluation excluded).</param>
public sealed record ShotResult(string Strategy, int K, double Mean, double Std, double Seconds);
