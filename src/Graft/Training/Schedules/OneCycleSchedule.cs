namespace Graft.Training.Schedules;

/// <summary>
/// fastai's one-cycle policy (Smith, 2018, https://arxiv.org/abs/1803.09820; fastai's <c>fit_one_cycle</c>): over
/// the first <paramref name="WarmupFraction"/> of the steps the rate climbs along half a cosine from
/// peak / <paramref name="InitialDivisor"/> to the peak, then anneals along half a cosine to
/// peak / <paramref name="FinalDivisor"/>. fastai's defaults: 0.25, 25, 1e5.
/// </summary>
/// <param name="WarmupFraction">Fraction of the steps spent rising to the peak.</param>
/// <param name="InitialDivisor">Start rate = peak / this.</param>
/// <param name="FinalDivisor">End rate = peak / this.</param>
public sealed record OneCycleSchedule(double WarmupFraction = 0.25, double InitialDivisor = 25, double FinalDivisor = 1e5) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double Factor(long step, long totalSteps)
    {
        if (totalSteps <= 1) return 1;
        double position = step / (double)(totalSteps - 1);
        if (position < WarmupFraction)
            return CosineBetween(1 / InitialDivisor, 1, position / WarmupFraction);
        return CosineBetween(1, 1 / FinalDivisor, (position - WarmupFraction) / Math.Max(1e-12, 1 - WarmupFraction));
    }
}
