using Graft.Training.Schedules;

namespace Graft.Training.Strategies;

/// <summary>
/// Feature extraction: the base is frozen and runs in inference mode (BatchNorm with its running statistics,
/// dropout off); only the head learns. Without augmentation the base runs once over the data and the head trains
/// on cached features, so each epoch costs milliseconds; with augmentation the frozen base runs under no-grad at
/// every step and keeps no activations.
/// </summary>
/// <param name="Epochs">Epochs to train the head.</param>
/// <param name="LearningRate">Peak learning rate of the head (the learner's by default, 1e-3).</param>
/// <param name="Schedule">Learning-rate schedule (the learner's by default).</param>
/// <param name="CacheFeatures">Cache the base's features when the data does not vary between epochs.</param>
/// <param name="EarlyStopping">Stop when the head has converged (e.g. <c>new EarlyStopping(Patience: 2)</c>).</param>
public sealed record FeatureExtraction(int Epochs = 10, double? LearningRate = null, LearningRateSchedule? Schedule = null,
    bool CacheFeatures = true, EarlyStopping? EarlyStopping = null) : Strategy
{
    /// <summary>Cached features above this many bytes go to a temporary file (1 GiB by default).</summary>
    public long CacheMemoryLimitBytes { get; init; } = 1L << 30;

    /// <inheritdoc/>
    public override string Name => "feature-extraction";

    /// <inheritdoc/>
    protected internal override void Execute(Learner learner, CancellationToken cancellation) => TrainHead(learner, cancellation);

    /// <summary>The phase itself, shared with <see cref="FineTune"/>: freeze the base, train the head.</summary>
    internal PhaseResult TrainHead(Learner learner, CancellationToken cancellation)
    {
        var model = RequireTransferModel(learner);
        learner.AnnouncePhase("head", "base frozen in inference mode, new head trained" + (CacheFeatures ? " (on cached features when possible)" : ""));
        model.BaseLayers.Freeze();
        model.HeadLayers.Unfreeze();
        return learner.Fit(new FitOptions(Epochs)
        {
            Phase = "head",
            LearningRate = LearningRate,
            Schedule = Schedule,
            EarlyStopping = EarlyStopping,
            CacheFeatures = CacheFeatures,
            CacheMemoryLimitBytes = CacheMemoryLimitBytes,
        }, cancellation);
    }
}
