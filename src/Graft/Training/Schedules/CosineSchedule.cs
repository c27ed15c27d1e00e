namespace Graft.Training.Schedules;

/// <summary>
/// Cosine annealing (Loshchilov &amp; Hutter, 2017, https://arxiv.org/abs/1608.03983) after an optional linear
/// warm-up: the rate rises linearly from 0 to the peak over the first <paramref name="WarmupFraction"/> of the
/// steps, then follows half a cosine down to <paramref name="FinalFactor"/> × peak.
/// </summary>
/// <param name="WarmupFraction">Fraction of the steps spent warming up (0 for none).</param>
/// <param name="FinalFactor">The last step's rate as a fraction of the peak.</param>
public sealed record CosineSchedule(double WarmupFraction = 0, double FinalFactor = 0) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double Factor(long step, long totalSteps)
    {
        if (totalSteps <= 1) return 1;
        long warmup = (long)Math.Round(WarmupFraction * totalSteps);
        if (step < warmup) return (step + 1) / (double)warmup;
        double t = (step - warmup) / (double)Math.Max(1, totalSteps - 1 - warmup);
        return CosineBetween(1, FinalFactor, t);
    }
}
