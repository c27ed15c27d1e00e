using System.Diagnostics;
using Graft.Data;
using Graft.Layers;
using Graft.Native;
using Graft.Training.Strategies;

namespace Graft.Training.Comparison;

/// <summary>
/// How much pretraining helps with few labels: trains each strategy (scratch, feature extraction, fine-tuning) on
/// k-shot samples of the training data (k examples per class, drawn from the training part only), for several
/// seeds, scores every trained model once on the held-out test data, and summarises mean ± standard deviation per
/// strategy and k. Every run starts from a fresh model and sees nothing but its sample: there is no validation
/// data during training, so early stopping and best-model tracking watch the training loss.
/// </summary>
/// <remarks>
/// Runs are ordered by seed, then shots, then strategy, so an interrupted comparison has compared the strategies on
/// the same samples. For run (strategy, k, seed): the sample is <c>train.FewShot(k, seed)</c>, torch's generator is
/// seeded with the seed before the model is created (so the fresh head is reproducible) and the learner's
/// <see cref="TrainOptions.Seed"/> is the seed.
/// </remarks>
public sealed class ShotComparison
{
    private readonly Func<ComparisonRun, Network> _createModel;
    private readonly BatchSourceFactory _batches;

    /// <summary>Prepares a comparison.</summary>
    /// <param name="createModel">Makes a fresh model for a run: the pretrained base with a new head of the right
    /// width (the scratch strategy re-draws every weight itself). Called once per run; the model is disposed after it.</param>
    /// <param name="train">Labelled training data, from which the k-shot samples are drawn.</param>
    /// <param name="test">Held-out test data, never trained on.</param>
    /// <param name="batches">Turns a sample or the test data into batches.</param>
    /// <exception cref="ArgumentException">When a source is not classification data, or the two disagree on the classes.</exception>
    public ShotComparison(Func<ComparisonRun, Network> createModel, IImageSource train, IImageSource test, BatchSourceFactory batches)
    {
        ArgumentNullException.ThrowIfNull(createModel);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(batches);
        if (!train.IsClassification() || !test.IsClassification())
            throw new ArgumentException("A shot comparison needs classification data (class labels, not regression targets).");
        if (!train.ClassNames.SequenceEqual(test.ClassNames))
            throw new ArgumentException(
                $"The training and test data have different classes ({string.Join(", ", train.ClassNames)} vs {string.Join(", ", test.ClassNames)}).");
        _createModel = createModel;
        Train = train;
        Test = test;
        _batches = batches;
    }

    /// <summary>The training data the samples come from.</summary>
    public IImageSource Train { get; }

    /// <summary>The held-out test data.</summary>
    public IImageSource Test { get; }

    /// <summary>The strategies, each with its own epochs and learning rates.</summary>
    public IReadOnlyList<Strategy> Strategies { get; init; } = [new Scratch(), new FeatureExtraction(), new FineTune()];

    /// <summary>Labelled examples per class of the samples (the k of k-shot).</summary>
    public IReadOnlyList<int> Shots { get; init; } = [5, 20, 100];

    /// <summary>Seeds per strategy and k (seeds <see cref="FirstSeed"/>, <see cref="FirstSeed"/> + 1, …).</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>The first seed.</summary>
    public int FirstSeed { get; init; }

    /// <summary>Learner settings shared by every run (the seed is set per run; a <c>val_</c> monitor becomes <c>loss</c>).</summary>
    public TrainOptions Options { get; init; } = TrainOptions.Default;

    /// <summary>The test metric compared (a scalar the task reports).</summary>
    public string Metric { get; init; } = "accuracy";

    /// <summary>Number of runs: strategies × shots × seeds.</summary>
    public int RunCount => Strategies.Count * Shots.Count * Seeds;

    /// <summary>A run is about to start.</summary>
    public event EventHandler<ComparisonRunStartedEventArgs>? RunStarted;

    /// <summary>A run's learner was created (subscribe to its events for progress).</summary>
    public event EventHandler<LearnerCreatedEventArgs>? LearnerCreated;

    /// <summary>A run finished and was scored.</summary>
    public event EventHandler<ComparisonRunEndedEventArgs>? RunEnded;

    /// <summary>Carries out every run. Cancellation stops the current run after its current step; the result then
    /// holds the runs that finished and says it was interrupted.</summary>
    /// <exception cref="ArgumentException">When no strategy, shot count or seed is given, or a shot count is below 1.</exception>
    /// <exception cref="InvalidOperationException">When a class of the training data has fewer examples than the
    /// largest shot count (checked before anything is trained).</exception>
    public ShotComparisonResult Run(CancellationToken cancellation = default)
    {
        Validate();
        var runs = new List<ComparisonRunResult>();
        var plan = (from seed in Enumerable.Range(FirstSeed, Seeds)
                    from shots in Shots
                    from strategy in Strategies
                    select new ComparisonRun(strategy, shots, seed)).ToList();
        var test = _batches(Test, training: false, FirstSeed);
        try
        {
            for (int i = 0; i < plan.Count && !cancellation.IsCancellationRequested; i++)
            {
                RunStarted?.Invoke(this, new ComparisonRunStartedEventArgs(plan[i], i, plan.Count));
                var result = RunOne(plan[i], test, cancellation);
                if (result is null) break;
                runs.Add(result);
                RunEnded?.Invoke(this, new ComparisonRunEndedEventArgs(result, i, plan.Count));
            }
        }
        finally
        {
            (test as IDisposable)?.Dispose();
        }
        return new ShotComparisonResult(Metric, Train.ClassNames.ToArray(), Summarise(runs), runs, runs.Count < plan.Count);
    }

    private ComparisonRunResult? RunOne(ComparisonRun run, IBatchSource test, CancellationToken cancellation)
    {
        var sample = Train.FewShot(run.Shots, run.Seed);
        var train = _batches(sample, training: true, run.Seed);
        Compute.Seed(run.Seed);
        var model = _createModel(run);
        var options = Options with
        {
            Seed = run.Seed,
            Monitor = Options.Monitor.StartsWith("val_", StringComparison.Ordinal) ? Options.Monitor[4..] : Options.Monitor,
            CheckpointPath = null,
            BestModelPath = null,
        };
        try
        {
            using var learner = new Learner(model, train, validation: null, options: options);
            long trainable = 0;
            learner.FitStarted += (_, e) => trainable = Math.Max(trainable, e.TrainableParameters);
            LearnerCreated?.Invoke(this, new LearnerCreatedEventArgs(run, learner));
            var clock = Stopwatch.StartNew();
            var history = learner.Run(WithoutValidationMonitors(run.Strategy), cancellation);
            clock.Stop();
            if (cancellation.IsCancellationRequested || history.Phases.Any(p => p.Stop == StopReason.Requested)) return null;
            var scores = learner.Evaluate(test);
            return new ComparisonRunResult(run, history, scores, clock.Elapsed, trainable);
        }
        finally
        {
            model.Dispose();
            (train as IDisposable)?.Dispose();
        }
    }

    // Runs have no validation data: early stopping that watches val_x watches x instead.
    private static Strategy WithoutValidationMonitors(Strategy strategy)
    {
        static EarlyStopping? OnTraining(EarlyStopping? early) =>
            early?.Monitor is { } monitor && monitor.StartsWith("val_", StringComparison.Ordinal) ? early with { Monitor = monitor[4..] } : early;
        return strategy switch
        {
            FeatureExtraction f => f with { EarlyStopping = OnTraining(f.EarlyStopping) },
            FineTune t => t with { EarlyStopping = OnTraining(t.EarlyStopping), Head = t.Head with { EarlyStopping = OnTraining(t.Head.EarlyStopping) } },
            _ => strategy,
        };
    }

    private List<ComparisonRow> Summarise(List<ComparisonRunResult> runs)
    {
        var rows = new List<ComparisonRow>();
        foreach (var strategy in Strategies)
            foreach (int shots in Shots)
            {
                var group = runs.Where(r => ReferenceEquals(r.Run.Strategy, strategy) && r.Run.Shots == shots).ToList();
                if (group.Count == 0) continue;
                double[] values = group.Select(r => r.Test[Metric]).ToArray();
                double mean = values.Average();
                double std = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
                rows.Add(new ComparisonRow(strategy.Name, shots, mean, std, group.Average(r => r.Duration.TotalSeconds),
                    group.Max(r => r.TrainableParameters), group.Count));
            }
        return rows;
    }

    private void Validate()
    {
        if (Strategies.Count == 0) throw new ArgumentException("Give at least one strategy to compare.");
        if (Shots.Count == 0) throw new ArgumentException("Give at least one shot count.");
        if (Shots.Any(k => k < 1)) throw new ArgumentException($"Shot counts must be at least 1; got {string.Join(", ", Shots)}.");
        if (Seeds < 1) throw new ArgumentException($"Give at least one seed; got {Seeds}.");
        int largest = Shots.Max();
        int[] counts = Train.CountPerClass();
        int smallest = Array.IndexOf(counts, counts.Min());
        if (counts[smallest] < largest)
            throw new InvalidOperationException(
                $"Class '{Train.ClassNames[smallest]}' has {counts[smallest]} training example(s), but {largest} shots need {largest} per class. "
                + $"Use shot counts up to {counts[smallest]}, or add examples.");
    }
}
