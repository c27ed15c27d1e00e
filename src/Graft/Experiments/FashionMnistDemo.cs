using System.Diagnostics;
using Graft.Data;
using Graft.Models;
using Graft.Native;
using Graft.Training;
using Graft.Training.Schedules;
using Graft.Training.Strategies;
using Graft.Training.Tasks;

namespace Graft.Experiments;

/// <summary>What <see cref="FashionMnistDemo"/> found.</summary>
/// <param name="Rows">Mean and spread per strategy and k.</param>
/// <param name="Runs">Every single run.</param>
/// <param name="DataSource">Where the target images were read from.</param>
/// <param name="ClassNames">The target classes.</param>
public sealed record DemoResult(IReadOnlyList<ShotResult> Rows, IReadOnlyList<DemoRun> Runs, string DataSource, IReadOnlyList<string> ClassNames);

/// <summary>
/// Runs the demo: for every k and seed, draws k training images per target class from the pool, trains each
/// strategy on them and evaluates on all 5,000 target test images.
/// </summary>
public static class FashionMnistDemo
{
    /// <summary>Runs the experiment. <paramref name="runFinished"/> is told of each run as it ends.</summary>
    /// <exception cref="ArgumentException">When a strategy name is unknown.</exception>
    public static DemoResult Run(DemoOptions options, Action<DemoRun>? runFinished = null, CancellationToken cancellation = default)
    {
        foreach (var name in options.Strategies)
            if (name is not ("scratch" or "feature-extraction" or "fine-tune"))
                throw new ArgumentException($"Unknown strategy '{name}': use scratch, feature-extraction or fine-tune.", nameof(options));
        var (pool, test, from) = FashionMnistTransfer.LoadTarget(options.DataFolder, options.ShippedDataFolder);
        return Run(options, pool, test, from, runFinished, cancellation);
    }

    /// <summary>
    /// Runs the protocol on given data: k-shot subsets are drawn from <paramref name="pool"/> and every run is scored
    /// on <paramref name="test"/> (e.g. a held-out part of the pool, to choose a recipe without the test images).
    /// </summary>
    public static DemoResult Run(DemoOptions options, IImageSource pool, IImageSource test, string from,
        Action<DemoRun>? runFinished = null, CancellationToken cancellation = default)
    {
        var testLoader = new DataLoader(test, FashionMnistTransfer.EvaluationPipeline, LoaderOptions.Evaluation with { BatchSize = 500, Workers = 1 });
        var runs = new List<DemoRun>();
        foreach (int k in options.Shots)
            foreach (int seed in options.Seeds)
            {
                var subset = pool.FewShot(k, seed);
                var train = new DataLoader(subset, FashionMnistTransfer.EvaluationPipeline, LoaderOptions.Training with
                {
                    BatchSize = Math.Min(options.BatchSize, subset.Count),
                    Augment = false,
                    Seed = seed,
                    Workers = 1,
                    CacheImages = true,
                });
                foreach (string strategy in options.Strategies)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var run = RunOne(strategy, k, seed, train, testLoader, options, cancellation);
                    runs.Add(run);
                    runFinished?.Invoke(run);
                }
            }
        var rows = runs.GroupBy(r => (r.Strategy, r.K))
            .Select(g =>
            {
                double mean = g.Average(r => r.Accuracy);
                double std = Math.Sqrt(g.Average(r => (r.Accuracy - mean) * (r.Accuracy - mean)));
                return new ShotResult(g.Key.Strategy, g.Key.K, mean, std, g.Average(r => r.TrainSeconds));
            })
            .OrderBy(r => options.Strategies.ToList().IndexOf(r.Strategy)).ThenBy(r => r.K).ToList();
        return new DemoResult(rows, runs, from, test.ClassNames);
    }

    private static DemoRun RunOne(string strategy, int k, int seed, DataLoader train, DataLoader test, DemoOptions options,
        CancellationToken cancellation)
    {
        int batches = ((IBatchSource)train).Count;
        int Epochs(int steps) => Math.Max(1, (steps + batches - 1) / batches);
        // Each strategy starts from the same seed, so feature extraction and fine-tuning draw the same new head and
        // fine-tuning's first phase is exactly the feature-extraction run.
        Compute.Seed(seed);
        var model = FashionMnistTransfer.TargetModel(strategy == "scratch" ? null : options.BasePath, options.HeadGrid);
        var trainOptions = TrainOptions.OneCycle with
        {
            LearningRate = strategy == "scratch" ? 2e-3 : 1e-2,
            Seed = seed,
        };
        var head = new FeatureExtraction(Epochs(options.HeadSteps), LearningRate: 1e-2, Schedule: LearningRateSchedule.OneCycle);
        Strategy plan = strategy switch
        {
            "scratch" => new Scratch(Epochs(options.ScratchSteps), Reinitialize: false),
            "feature-extraction" => head,
            _ => new FineTune(Epochs(options.FineTuneSteps), UnfreezeTop: options.UnfreezeTop, LearningRateDivisor: options.FineTuneDivisor,
                BaseLearningRateScale: 1, Schedule: options.FineTuneOneCycle ? LearningRateSchedule.OneCycle : LearningRateSchedule.Constant,
                BatchNormTraining: options.FineTuneBatchNormTraining) { Head = head },
        };
        using var learner = new Learner(model, train, validation: null, new Classification(), trainOptions);
        var clock = Stopwatch.StartNew();
        var history = learner.Run(plan, cancellation);
        double seconds = clock.Elapsed.TotalSeconds;
        var metrics = learner.Evaluate(test);
        var confusion = metrics.Confusion ?? throw new InvalidOperationException("Classification evaluation gave no confusion matrix.");
        var counts = new long[confusion.Classes, confusion.Classes];
        for (int a = 0; a < confusion.Classes; a++)
            for (int p = 0; p < confusion.Classes; p++) counts[a, p] = confusion[a, p];
        model.Dispose();
        return new DemoRun(strategy, k, seed, metrics["accuracy"], seconds, history, counts);
    }
}
