namespace Graft.Training;

/// <summary>The outcome of one phase (one <see cref="Learner.Fit(FitOptions, CancellationToken)"/> call).</summary>
/// <param name="Name">The phase's name.</param>
/// <param name="Epochs">Per-epoch history, in order.</param>
/// <param name="Stop">Why the phase ended.</param>
/// <param name="Message">For a divergence, what happened and what to try; otherwise null.</param>
/// <param name="BestEpoch">The epoch with the best monitored value, when a metric was monitored.</param>
/// <param name="UsedFeatureCache">True when the head was trained on cached base features.</param>
public sealed record PhaseResult(string Name, IReadOnlyList<EpochRecord> Epochs, StopReason Stop, string? Message, int? BestEpoch,
    bool UsedFeatureCache)
{
    /// <summary>The last epoch's record, or null when no epoch ran.</summary>
    public EpochRecord? Last => Epochs.Count == 0 ? null : Epochs[^1];

    /// <summary>True unless the loss diverged.</summary>
    public bool Succeeded => Stop != StopReason.Diverged;
}
