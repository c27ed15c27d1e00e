using System.Globalization;
using Graft.Layers;
using Graft.Training.Schedules;

namespace Graft.Training.Strategies;

/// <summary>
/// Fine-tuning as in Keras' transfer-learning guide: phase 1 trains a new head on the frozen base
/// (<see cref="FeatureExtraction"/>) until it converges; phase 2 unfreezes the top <see cref="UnfreezeTop"/> layers
/// of the base (all when null) and trains them with the head at a much lower learning rate, BatchNorm kept in
/// inference mode. Layers below the unfreezing point do not change in phase 2.
/// </summary>
/// <remarks>
/// Defaults: phase 1 at the learner's rate (1e-3 with Adam/AdamW) for up to 5 epochs with early stopping
/// (patience 2); phase 2 with the head at that rate / 10 (1e-4) and the unfrozen base layers at a further tenth
/// (1e-5, the rate of Keras' guide), so the pretrained weights move 100 times more slowly than the new head did.
/// </remarks>
/// <param name="Epochs">Epochs of phase 2.</param>
/// <param name="UnfreezeTop">Base layers (with weights) to unfreeze, counted from the top; null unfreezes the whole base.</param>
/// <param name="LearningRateDivisor">Phase 2's head rate is phase 1's divided by this.</param>
/// <param name="BaseLearningRateScale">Phase 2's unfrozen base layers learn at this fraction of its head rate.</param>
/// <param name="Schedule">Phase 2's schedule (the learner's by default).</param>
/// <param name="EarlyStopping">Early stopping of phase 2.</param>
/// <param name="BatchNormTraining">Let unfrozen BatchNorm layers update their statistics (off, as Keras advises).</param>
public sealed record FineTune(int Epochs = 5, int? UnfreezeTop = null, double LearningRateDivisor = 10, double BaseLearningRateScale = 0.1,
    LearningRateSchedule? Schedule = null, EarlyStopping? EarlyStopping = null, bool BatchNormTraining = false) : Strategy
{
    /// <summary>Phase 1 (the head on the frozen base).</summary>
    public FeatureExtraction Head { get; init; } = new(Epochs: 5, EarlyStopping: new EarlyStopping(Patience: 2));

    /// <summary>Keras' guide: phase 2 at 1e-5 for every unfrozen weight after 1e-3 (a divisor of 100, one rate).</summary>
    public static FineTune KerasGuide { get; } = new(LearningRateDivisor: 100, BaseLearningRateScale: 1);

    /// <inheritdoc/>
    public override string Name => "fine-tune";

    /// <inheritdoc/>
    protected internal override void Execute(Learner learner, CancellationToken cancellation)
    {
        var model = RequireTransferModel(learner);
        var head = Head.TrainHead(learner, cancellation);
        if (!head.Succeeded || head.Stop == StopReason.Requested || cancellation.IsCancellationRequested) return;

        double rate = (Head.LearningRate ?? learner.Options.LearningRate) / LearningRateDivisor;
        string which = UnfreezeTop is { } n ? $"the top {n} base layers" : "the whole base";
        learner.AnnouncePhase("fine-tune", string.Create(CultureInfo.InvariantCulture,
            $"unfreeze {which}; head at {rate:G3}, base at {rate * BaseLearningRateScale:G3}; BatchNorm {(BatchNormTraining ? "training" : "in inference mode")}"));
        if (UnfreezeTop is { } count)
        {
            model.BaseLayers.UnfreezeTop(count, BatchNormTraining);
            model.HeadLayers.Unfreeze(BatchNormTraining);
        }
        else
        {
            Trainability.SetTrainable(learner.Model, true, BatchNormTraining);
        }
        learner.Fit(new FitOptions(Epochs)
        {
            Phase = "fine-tune",
            LearningRate = rate,
            BaseLearningRateScale = BaseLearningRateScale,
            Schedule = Schedule,
            EarlyStopping = EarlyStopping,
        }, cancellation);
    }
}
