namespace Graft.Training.Schedules;

/// <summary>
/// A learning-rate schedule, evaluated at every optimizer step: the factor by which a phase's peak learning rate
/// is multiplied at step <c>step</c> of <c>totalSteps</c>. Schedules are pure functions of the step, so a resumed
/// run recomputes exactly the rate an uninterrupted run used.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>The multiplier of the peak learning rate at <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public abstract double Factor(long step, long totalSteps);

    /// <summary>The peak rate, unchanged.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>fastai's one-cycle policy with its defaults.</summary>
    public static LearningRateSchedule OneCycle { get; } = new OneCycleSchedule();

    /// <summary>Cosine annealing from the peak to zero.</summary>
    public static LearningRateSchedule Cosine { get; } = new CosineSchedule();

    /// <summary>Cosine interpolation from <paramref name="from"/> to <paramref name="to"/> as <paramref name="t"/> goes 0 → 1.</summary>
    internal static double CosineBetween(double from, double to, double t) =>
        to + (from - to) * (1 + Math.Cos(Math.PI * Math.Clamp(t, 0, 1))) / 2;
}
