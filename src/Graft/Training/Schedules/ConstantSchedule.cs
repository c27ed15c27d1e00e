namespace Graft.Training.Schedules;

/// <summary>A constant learning rate.</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double Factor(long step, long totalSteps) => 1;
}
