using Graft.Data;
using System.Diagnostics;
using Graft.Layers;
using Graft.Native;
using Graft.Training.Checkpoints;
using Graft.Training.Metrics;
using Graft.Training.Optimizers;
using Graft.Training.Strategies;
using Graft.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// Trains a model: owns the model, the data, the task (loss and metrics), the optimizer and the run's history.
/// <see cref="Fit(int, CancellationToken)"/> trains for some epochs, <see cref="Run"/> carries out a whole
/// <see cref="Strategy"/> (feature extraction, fine-tuning), <see cref="Evaluate"/> and <see cref="Predict(Tensor)"/>
/// use the model. Everything a progress bar or plot needs is raised as an event.
/// </summary>
/// <remarks>
/// The optimizer holds every parameter of the model and reads trainability at each step, so freezing or unfreezing
/// layers between calls (or between two steps, from an event handler) needs no new learner. Each step runs in its
/// own dispose scope; validation runs in inference mode under no-grad. Within a phase gradients are zeroed in place
/// (<see cref="Optimizer.ZeroGradInPlace"/>), so a trainable parameter that a step's forward pass does not use still
/// moves by momentum and weight decay, as with PyTorch 1.x's <c>zero_grad()</c>; they are released when the phase ends.
/// Training batches count the task's training metrics (<see cref="LearningTask.CreateTrainingMetrics"/>).
/// </remarks>
public sealed class Learner : IDisposable
{
    private readonly List<PhaseResult> _runPhases = new();
    private string? _runStrategy;
    private int _phaseIndex;
    private Checkpoint? _resume;
    private WeightSnapshot? _best;
    private volatile bool _stopRequested;

    /// <summary>Creates a learner.</summary>
    /// <param name="model">The model: a <see cref="Network"/> or another <see cref="ITransferModel"/> such as a text
    /// classifier (needed for feature extraction and fine-tuning), or any tensor-to-tensor module.</param>
    /// <param name="train">Training data.</param>
    /// <param name="validation">Validation data (optional; metrics named <c>val_*</c> need it).</param>
    /// <param name="task">The task; single-label classification by default.</param>
    /// <param name="options">Settings; <see cref="TrainOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">When the model has no parameters.</exception>
    public Learner(nn.Module<Tensor, Tensor> model, IBatchSource train, IBatchSource? validation = null, LearningTask? task = null,
        TrainOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        Model = model;
        Train = train;
        Validation = validation;
        Task = task ?? new Classification();
        Options = options ?? TrainOptions.Default;
        var first = model.parameters().FirstOrDefault()
            ?? throw new ArgumentException($"Model '{model.GetName()}' has no parameters to train.", nameof(model));
        Device = first.device;
        Optimizer = Options.Optimizer(BuildGroups());
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The model as a <see cref="Layers.Network"/>, or null when it is another kind of module.</summary>
    public Network? Network => Model as Network;

    /// <summary>The model as a base and a head (what the transfer strategies need), or null when it does not say.</summary>
    public ITransferModel? TransferModel => Model as ITransferModel;

    /// <summary>Training data.</summary>
    public IBatchSource Train { get; }

    /// <summary>Validation data, if any.</summary>
    public IBatchSource? Validation { get; }

    /// <summary>The task: loss, metrics, predictions.</summary>
    public LearningTask Task { get; }

    /// <summary>Settings.</summary>
    public TrainOptions Options { get; }

    /// <summary>The optimizer, over every parameter of the model (frozen ones are skipped at each step).</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The device of the model's parameters; batches are moved there.</summary>
    public Device Device { get; }

    /// <summary>Set to stop after the current step (by any thread or event handler); cleared when a phase ends.</summary>
    public bool StopRequested
    {
        get => _stopRequested;
        set => _stopRequested = value;
    }

    /// <summary>True after <see cref="Resume"/> until the interrupted phase has been reached again.</summary>
    public bool IsResuming => _resume is not null;

    /// <summary>A strategy's phase is about to be set up and trained.</summary>
    public event EventHandler<PhaseStartedEventArgs>? PhaseStarted;

    /// <summary>A phase starts training.</summary>
    public event EventHandler<FitStartedEventArgs>? FitStarted;

    /// <summary>An epoch starts.</summary>
    public event EventHandler<EpochStartedEventArgs>? EpochStarted;

    /// <summary>An optimizer step ended.</summary>
    public event EventHandler<StepEndedEventArgs>? StepEnded;

    /// <summary>An epoch ended (validation done, checkpoint written).</summary>
    public event EventHandler<EpochEndedEventArgs>? EpochEnded;

    /// <summary>A phase ended.</summary>
    public event EventHandler<FitEndedEventArgs>? FitEnded;

    /// <summary>The data source skipped a sample.</summary>
    public event EventHandler<DataErrorEventArgs>? DataErrorOccurred;

    /// <summary>Trains for <paramref name="epochs"/> epochs with the options' learning rate and schedule.</summary>
    public PhaseResult Fit(int epochs, CancellationToken cancellation = default) => Fit(new FitOptions(epochs), cancellation);

    /// <summary>Trains one phase. Stops early on request, on cancellation (after the current step), by early stopping,
    /// or when the loss diverges (the result then says so and why; the step that diverged is not applied and the
    /// last checkpoint is left as it was).</summary>
    /// <exception cref="ArgumentException">When early stopping watches a validation metric and there is no validation data.</exception>
    /// <exception cref="InvalidOperationException">When every parameter is frozen.</exception>
    public PhaseResult Fit(FitOptions fit, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fit.Epochs);
        int index = _phaseIndex++;
        var resume = _resume;
        if (resume is not null && index < resume.PhaseIndex)
        {
            // This phase ended before the interruption: its result comes from the checkpoint.
            if (index >= resume.CompletedPhases.Count)
                throw new InvalidOperationException(
                    $"The checkpoint being resumed records {resume.CompletedPhases.Count} completed phases before phase {resume.PhaseIndex} ('{resume.Phase}'); "
                    + "resume with the same strategy or the same sequence of Fit calls as the interrupted run.");
            var done = resume.CompletedPhases[index];
            _runPhases.Add(done);
            return done;
        }
        if (resume is null && index == 0 && _runStrategy is null && Options.Seed is { } seed) Compute.Seed(seed);

        var early = fit.EarlyStopping ?? Options.EarlyStopping;
        string monitor = early?.Monitor ?? Options.Monitor;
        if (monitor.StartsWith("val_", StringComparison.Ordinal) && Validation is null && (early is not null || Options.BestModelPath is not null))
            throw new ArgumentException($"Early stopping and keep-best watch '{monitor}', which needs validation data; pass a validation source or set Monitor to a training metric such as 'loss'.");
        var tracker = new BestTracker(monitor, early);

        double peak = fit.LearningRate ?? Options.LearningRate;
        SetLearningRate(peak, fit.BaseLearningRateScale ?? Options.BaseLearningRateScale);
        var history = new List<EpochRecord>();
        int start = 0;
        DisposeBest();
        if (resume is not null)
        {
            _resume = null;
            using (resume)
            {
                ApplyResume(resume, tracker);
                history.AddRange(resume.Epochs);
                start = resume.EpochsCompleted;
                if (resume.PhaseFinished)
                {
                    var finished = new PhaseResult(fit.Phase, history, resume.Stop, null, tracker.BestEpoch, fit.CacheFeatures);
                    return EndPhase(finished, early);
                }
            }
        }

        using var plan = PhasePlan.Prepare(this, fit);
        var schedule = fit.Schedule ?? Options.Schedule;
        int stepsPerEpoch = plan.Train.Count;
        long totalSteps = (long)fit.Epochs * stepsPerEpoch;
        FitStarted?.Invoke(this, new FitStartedEventArgs(fit.Phase, index, fit.Epochs, start, stepsPerEpoch, plan.UsesFeatureCache,
            WeightCounts.Of(Model).TrainableParameters));

        var stop = StopReason.Completed;
        string? message = null;
        for (int epoch = start; epoch < fit.Epochs; epoch++)
        {
            if (StopRequested || cancellation.IsCancellationRequested)
            {
                stop = StopReason.Requested;
                break;
            }
            EpochStarted?.Invoke(this, new EpochStartedEventArgs(fit.Phase, epoch, fit.Epochs));
            var clock = Stopwatch.StartNew();
            var metrics = Task.CreateTrainingMetrics();
            double lossSum = 0;
            long samples = 0;
            int errors = 0, step = 0;
            bool cut = false;
            foreach (var batch in plan.Train.Batches(epoch))
            {
                using (batch)
                {
                    foreach (var error in batch.Skipped)
                    {
                        errors++;
                        DataErrorOccurred?.Invoke(this, new DataErrorEventArgs(fit.Phase, epoch, error));
                    }
                    if (batch.Count == 0) continue;
                    double factor = schedule.Factor((long)epoch * stepsPerEpoch + step, totalSteps);
                    foreach (var group in Optimizer.Groups) group.LearningRate = peak * group.LearningRateScale * factor;
                    long started = Stopwatch.GetTimestamp();
                    var (loss, gradientsFinite) = TrainStep(plan.Model, batch, metrics);
                    if (!float.IsFinite(loss) || !gradientsFinite)
                    {
                        stop = StopReason.Diverged;
                        message = DivergenceMessage(fit.Phase, epoch, step, stepsPerEpoch, loss, gradientsFinite, batch);
                        break;
                    }
                    lossSum += loss * (double)batch.Count;
                    samples += batch.Count;
                    double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    StepEnded?.Invoke(this, new StepEndedEventArgs(fit.Phase, epoch, step, stepsPerEpoch, loss,
                        batch.Count / Math.Max(seconds, 1e-9), HeadLearningRate));
                }
                step++;
                if (StopRequested || cancellation.IsCancellationRequested)
                {
                    cut = true;
                    break;
                }
            }
            if (stop == StopReason.Diverged) break;

            var train = Collect(metrics, lossSum, samples);
            var validation = cut || plan.Validation is null ? null : EvaluateWith(plan.EvalModel, plan.Validation);
            var record = new EpochRecord(fit.Phase, epoch, train, validation, HeadLearningRate, clock.Elapsed, errors, step);
            history.Add(record);
            if (cut)
            {
                // A partial epoch is reported but not checkpointed: a resumed run restarts it from its beginning.
                stop = StopReason.Requested;
                EpochEnded?.Invoke(this, new EpochEndedEventArgs(record));
                break;
            }
            if (tracker.Update(record)) OnImproved(early);
            bool stopEarly = tracker.ShouldStop;
            bool last = epoch == fit.Epochs - 1;
            if (Options.CheckpointPath is { } path)
                WriteCheckpoint(path, index, fit.Phase, epoch + 1, stopEarly || last, stopEarly ? StopReason.EarlyStopped : StopReason.Completed,
                    history, tracker);
            EpochEnded?.Invoke(this, new EpochEndedEventArgs(record));
            if (stopEarly)
            {
                stop = StopReason.EarlyStopped;
                break;
            }
        }
        if (stop == StopReason.Completed && (StopRequested || cancellation.IsCancellationRequested) && history.Count < fit.Epochs)
            stop = StopReason.Requested;
        return EndPhase(new PhaseResult(fit.Phase, history, stop, message, tracker.BestEpoch, plan.UsesFeatureCache), early);
    }

    /// <summary>Carries out <paramref name="strategy"/> (all its phases) and returns each phase's history. After
    /// <see cref="Resume"/>, phases that ended before the interruption are not run again.</summary>
    /// <exception cref="InvalidOperationException">When resuming a checkpoint written by another strategy.</exception>
    public RunResult Run(Strategy strategy, CancellationToken cancellation = default)
    {
        if (_resume is { } resume && resume.Strategy != strategy.Name)
            throw new InvalidOperationException(
                $"The checkpoint being resumed was written by strategy '{resume.Strategy ?? "(plain Fit)"}', not '{strategy.Name}'.");
        _runPhases.Clear();
        _phaseIndex = 0;
        _runStrategy = strategy.Name;
        if (_resume is null && Options.Seed is { } seed) Compute.Seed(seed);
        try
        {
            strategy.Execute(this, cancellation);
        }
        finally
        {
            _runStrategy = null;
        }
        return new RunResult(strategy.Name, _runPhases.ToList());
    }

    /// <summary>
    /// Loads a checkpoint written during an earlier run. The next <see cref="Run"/> (with the same strategy) or the
    /// same sequence of <see cref="Fit(FitOptions, CancellationToken)"/> calls then continues after the last completed
    /// epoch, with the weights, optimizer state, schedule position, data order and random state of that moment.
    /// </summary>
    /// <exception cref="Graft.Weights.WeightFileException">When the file is missing, damaged or not a Graft checkpoint.</exception>
    public void Resume(string checkpointPath)
    {
        _resume?.Dispose();
        _resume = Checkpoint.Read(checkpointPath);
        _phaseIndex = 0;
        _runPhases.Clear();
    }

    /// <summary>Loss and metrics of the model on <paramref name="data"/>, in inference mode under no-grad. The model's
    /// train/eval flags are left as they were.</summary>
    public MetricValues Evaluate(IBatchSource data) => EvaluateWith(Model, data);

    /// <summary>Predictions for <paramref name="x"/> (probabilities for classification, values for regression), in
    /// inference mode, in batches of <see cref="TrainOptions.PredictBatchSize"/>. The caller owns the result.</summary>
    public Tensor Predict(Tensor x)
    {
        using var mode = ModeScope.Eval(Model);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        long n = x.shape[0];
        for (long start = 0; start < n; start += Options.PredictBatchSize)
        {
            long length = Math.Min(Options.PredictBatchSize, n - start);
            parts.Add(Task.Predict(Model.call(OnDevice(x.narrow(0, start, length)))));
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Runs the learning-rate finder (<see cref="LrFinder"/>) on this learner; everything it changes is restored.</summary>
    public LrFinderResult FindLearningRate(LrFinderOptions? options = null, CancellationToken cancellation = default) =>
        LrFinder.Run(this, options, cancellation);

    /// <summary>Sets the peak learning rate: the head's (or the whole model's) is <paramref name="learningRate"/>, the
    /// base layers' is <paramref name="learningRate"/> × <paramref name="baseScale"/>.</summary>
    public void SetLearningRate(double learningRate, double baseScale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        foreach (var group in Optimizer.Groups)
        {
            group.LearningRateScale = group.Name.StartsWith("base", StringComparison.Ordinal) ? baseScale : 1;
            group.LearningRate = learningRate * group.LearningRateScale;
        }
    }

    /// <summary>Raises <see cref="PhaseStarted"/>; strategies call it before setting up each phase.</summary>
    public void AnnouncePhase(string phase, string description) =>
        PhaseStarted?.Invoke(this, new PhaseStartedEventArgs(_runStrategy ?? "", phase, description));

    /// <summary>Disposes the optimizer state and any pending checkpoint (never the model or the data).</summary>
    public void Dispose()
    {
        Optimizer.Dispose();
        _resume?.Dispose();
        DisposeBest();
    }

    /// <summary>The learning rate of the head group (the first group when there is no head).</summary>
    internal double HeadLearningRate =>
        (Optimizer.Groups.FirstOrDefault(g => g.Name.StartsWith("head", StringComparison.Ordinal)) ?? Optimizer.Groups[0]).LearningRate;

    /// <summary>Runs one training step on <paramref name="batch"/>: forward, loss, backward, clip, update, metrics.</summary>
    internal (float Loss, bool GradientsFinite) TrainStep(nn.Module<Tensor, Tensor> model, Batch batch, IReadOnlyList<Metric>? metrics)
    {
        using var scope = NewDisposeScope();
        var x = OnDevice(batch.X);
        var y = OnDevice(batch.Y);
        // Zeroed in place, not dropped: gradient and optimizer buffers made before the first forward pass stay
        // below the activations in glibc's heap. Dropped and re-made each step they landed in the gaps activations
        // leave, and ResNet-50's fine-tuning peak (batch 32, 224 px, bench memory-resnet50) was 4,596–4,771 MiB
        // against 4,293–4,529 with this.
        Optimizer.ZeroGradInPlace();
        // BatchNorm statistics change during the forward pass; a diverging step must not leave NaN in them.
        var buffers = model.named_buffers().Select(b => (b.buffer, b.buffer.clone())).ToList();
        var output = TrainingForward.Run(model, x);
        var loss = Task.Loss(output, y);
        float value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            using var noGrad = no_grad();
            foreach (var (buffer, saved) in buffers) buffer.copy_(saved);
            return (value, true);
        }
        if (!loss.requires_grad)
            throw new InvalidOperationException(
                "Nothing to train: every parameter of the model is frozen. Unfreeze the head (network.Head.Unfreeze()) or some layers first.");
        loss.backward();
        if (Options.ClipGradientNorm is { } maxNorm)
        {
            double norm = GradientClipping.ClipByGlobalNorm(Optimizer.Parameters.Select(p => p.Parameter), maxNorm);
            if (!double.IsFinite(norm))
            {
                using var noGrad = no_grad();
                foreach (var (buffer, saved) in buffers) buffer.copy_(saved);
                Optimizer.ZeroGrad();
                return (value, false);
            }
        }
        Optimizer.Step();
        if (metrics is not null)
        {
            using var noGrad = no_grad();
            var detached = output.detach();
            foreach (var metric in metrics) metric.Update(detached, y);
        }
        return (value, true);
    }

    internal MetricValues EvaluateWith(nn.Module<Tensor, Tensor> model, IBatchSource data)
    {
        using var mode = ModeScope.Eval(model);
        using var noGrad = no_grad();
        var metrics = Task.CreateMetrics();
        double lossSum = 0;
        long samples = 0;
        foreach (var batch in data.Batches(0))
        {
            using (batch)
            {
                if (batch.Count == 0) continue;
                using var scope = NewDisposeScope();
                var y = OnDevice(batch.Y);
                var output = model.call(OnDevice(batch.X));
                lossSum += Task.Loss(output, y).item<float>() * (double)batch.Count;
                samples += batch.Count;
                foreach (var metric in metrics) metric.Update(output, y);
            }
        }
        return Collect(metrics, lossSum, samples);
    }

    internal Tensor OnDevice(Tensor t) =>
        t.device_type == Device.type && (Device.type == DeviceType.CPU || t.device_index == Device.index) ? t : t.to(Device);

    private static MetricValues Collect(IReadOnlyList<Metric> metrics, double lossSum, long samples)
    {
        var values = new MetricValues { Samples = samples };
        values.Set("loss", samples == 0 ? double.NaN : lossSum / samples);
        foreach (var metric in metrics) metric.WriteTo(values);
        return values;
    }

    private PhaseResult EndPhase(PhaseResult result, EarlyStopping? early)
    {
        if (early is { RestoreBest: true } && _best is not null && result.Stop != StopReason.Diverged) _best.RestoreInto(Model);
        DisposeBest();
        Optimizer.ZeroGrad(); // gradient buffers are kept from step to step within a phase, not after it
        StopRequested = false;
        _runPhases.Add(result);
        FitEnded?.Invoke(this, new FitEndedEventArgs(result));
        return result;
    }

    private void OnImproved(EarlyStopping? early)
    {
        if (early is { RestoreBest: true })
        {
            DisposeBest();
            _best = WeightSnapshot.Of(Model);
        }
        if (Options.BestModelPath is { } path) SavedModel.Save(path, Model, Options.ModelInfo ?? ModelInfo.Describe(Model, Task));
    }

    private void DisposeBest()
    {
        _best?.Dispose();
        _best = null;
    }

    private void WriteCheckpoint(string path, int phaseIndex, string phase, int epochsCompleted, bool finished, StopReason stop,
        IReadOnlyList<EpochRecord> history, BestTracker tracker)
    {
        using var optimizer = Optimizer.GetState();
        using var random = get_rng_state();
        // Not disposed as a whole: Model holds the live weights, which are the model's.
        var checkpoint = new Checkpoint
        {
            Strategy = _runStrategy,
            PhaseIndex = phaseIndex,
            Phase = phase,
            EpochsCompleted = epochsCompleted,
            PhaseFinished = finished,
            Stop = stop,
            CompletedPhases = _runPhases.ToList(),
            Epochs = history.ToList(),
            BestValue = tracker.Best,
            BestEpoch = tracker.BestEpoch,
            EpochsWithoutImprovement = tracker.Wait,
            Model = WeightSnapshot.StateOf(Model).ToDictionary(w => w.Name, w => w.Tensor),
            Optimizer = optimizer,
            RandomState = random,
            BestWeights = _best?.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        checkpoint.Write(path);
    }

    private void ApplyResume(Checkpoint checkpoint, BestTracker tracker)
    {
        using (var weights = WeightSnapshot.From(checkpoint.Model.ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope())))
        {
            var expected = WeightSnapshot.StateOf(Model).Select(w => w.Name).ToHashSet();
            var unexpected = weights.Tensors.Keys.Where(k => !expected.Contains(k)).ToList();
            if (unexpected.Count > 0)
                throw new InvalidOperationException($"The checkpoint holds weights this model does not have: {string.Join(", ", unexpected.Take(10))}.");
            weights.RestoreInto(Model);
        }
        Optimizer.LoadState(checkpoint.Optimizer);
        if (checkpoint.RandomState is not null) set_rng_state(checkpoint.RandomState);
        tracker.Best = checkpoint.BestValue;
        tracker.BestEpoch = checkpoint.BestEpoch;
        tracker.Wait = checkpoint.EpochsWithoutImprovement;
        if (checkpoint.BestWeights is { } best)
            _best = WeightSnapshot.From(best.ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope()));
    }

    private string DivergenceMessage(string phase, int epoch, int step, int stepsPerEpoch, float loss, bool gradientsFinite, Batch batch)
    {
        bool inputsFinite;
        using (NewDisposeScope()) inputsFinite = !batch.X.is_floating_point() || batch.X.isfinite().all().item<bool>();
        string what = gradientsFinite ? $"The loss became {loss}" : "The gradient norm became infinite or NaN";
        string cause = inputsFinite
            ? $"Likely causes: a learning rate too high (this step used {HeadLearningRate:G3}; run the learning-rate finder or divide it by 10), "
              + "input values far out of range (images not normalised with the model's mean and standard deviation), or labels the loss does not expect."
            : "This batch's inputs contain NaN or infinite values: check the data source and its preprocessing.";
        return $"{what} at step {(long)epoch * stepsPerEpoch + step} (epoch {epoch + 1}, batch {step + 1} of {stepsPerEpoch}) of phase '{phase}'; "
               + $"training stopped before applying it, and the last checkpoint was left as it was. {cause}";
    }

    private List<ParameterGroup> BuildGroups()
    {
        // A parameter belongs to the base when its key starts with a base layer's name (layer names are key prefixes).
        string[]? basePrefixes = TransferModel is { } transfer ? [.. transfer.BaseLayers.Names.Select(n => n + ".")] : null;
        var buckets = new Dictionary<string, List<(string, TorchSharp.Modules.Parameter)>>();
        foreach (var (name, parameter) in Model.named_parameters())
        {
            string group = basePrefixes is null ? "model"
                : basePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) ? "base" : "head";
            if (Options.WeightDecay != 0 && !Options.DecayBiasAndNorm && parameter.dim() <= 1) group += ".no_decay";
            if (!buckets.TryGetValue(group, out var list)) buckets[group] = list = new();
            list.Add((name, parameter));
        }
        string[] order = ["head", "head.no_decay", "model", "model.no_decay", "base", "base.no_decay"];
        return order.Where(buckets.ContainsKey).Select(name =>
        {
            bool isBase = name.StartsWith("base", StringComparison.Ordinal);
            double scale = isBase ? Options.BaseLearningRateScale : 1;
            double decay = name.EndsWith(".no_decay", StringComparison.Ordinal) ? 0 : Options.WeightDecay;
            return new ParameterGroup(name, buckets[name], Options.LearningRate * scale, decay, scale);
        }).ToList();
    }
}
