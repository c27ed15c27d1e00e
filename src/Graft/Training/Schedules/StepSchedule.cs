using Graft.Data;
namespace Graft.Training.Schedules;

/// <summary>Step decay: the rate is multiplied by <paramref name="Gamma"/> every <paramref name="StepSize"/> steps
/// (<c>torch.optim.lr_scheduler.StepLR</c> counted in optimizer steps).</summary>
/// <param name="StepSize">Steps between decays (an epoch is <c>IBatchSource.Count</c> steps).</param>
/// <param name="Gamma">Multiplier applied at each decay.</param>
public sealed record StepSchedule(long StepSize, double Gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">When <see cref="StepSize"/> is not positive.</exception>
    public override double Factor(long step, long totalSteps)
    {
        if (StepSize <= 0) throw new InvalidOperationException($"StepSchedule.StepSize must be positive (got {StepSize}).");
        return Math.Pow(Gamma, step / StepSize);
    }
}
