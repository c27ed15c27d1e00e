using Graft.Layers;
using Graft.Training.Schedules;

namespace Graft.Training.Strategies;

/// <summary>
/// The baseline: the same architecture with fresh random weights, every layer trainable and every BatchNorm
/// updating its statistics. Compare transfer strategies against it.
/// </summary>
/// <param name="Epochs">Epochs to train.</param>
/// <param name="LearningRate">Peak learning rate (the learner's by default).</param>
/// <param name="Schedule">Learning-rate schedule (the learner's by default).</param>
/// <param name="Reinitialize">Draw new random weights first (off: train the weights as they are).</param>
public sealed record Scratch(int Epochs = 10, double? LearningRate = null, LearningRateSchedule? Schedule = null, bool Reinitialize = true)
    : Strategy
{
    /// <inheritdoc/>
    public override string Name => "scratch";

    /// <inheritdoc/>
    protected internal override void Execute(Learner learner, CancellationToken cancellation)
    {
        learner.AnnouncePhase("scratch", Reinitialize ? "random weights, every layer trainable" : "every layer trainable");
        // Also when resuming: the checkpoint's weights replace these, and re-drawing keeps the random stream aligned.
        if (Reinitialize) Reinitialization.Reset(learner.Model);
        Trainability.SetTrainable(learner.Model, true, batchNormTraining: true);
        learner.Fit(new FitOptions(Epochs) { Phase = "scratch", LearningRate = LearningRate, Schedule = Schedule }, cancellation);
    }
}
