using Graft.Data;
using Graft.Training;
using Graft.Training.Comparison;
using Graft.Training.Strategies;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

/// <summary>
/// The shot comparison on the shape-family task (round, bars, cornered) with the base pretrained on six-way shape
/// classification: every strategy × shots × seed runs on its own k-shot sample and is scored on held-out data.
/// </summary>
[Collection("Training")]
public class ShotComparisonTests(ITestOutputHelper output)
{
    private static readonly string[] Families = ["round", "bars", "cornered"];

    /// <summary>Shape pictures as 8-bit images labelled by shape family.</summary>
    private static InMemoryImages FamilyImages(int count, int seed)
    {
        var (x, shapes) = Shapes.Generate(count, seed);
        using var family = Shapes.Family(shapes);
        using var bytes = x.permute(0, 2, 3, 1).mul(255).clamp(0, 255).round().to_type(ScalarType.Byte).contiguous();
        int[] labels = family.data<long>().ToArray().Select(l => (int)l).ToArray();
        x.Dispose();
        shapes.Dispose();
        return new InMemoryImages(bytes.bytes.ToArray(), count, Shapes.Size, Shapes.Size, 3, labels, Families, $"families/{seed}");
    }

    private static IBatchSource Batches(IImageSource source, bool training, int seed) =>
        new DataLoader(source, new ImagePipeline([]), (training ? LoaderOptions.Training : LoaderOptions.Evaluation) with { BatchSize = 16, Seed = seed, Workers = 0 });

    private static ShotComparison Comparison(Strategy[] strategies, int[]? shots = null) =>
        new(_ => Transfer.FromBase(Pretrained.SixShapeNetwork(), Families.Length), FamilyImages(240, 31), FamilyImages(150, 32), Batches)
        {
            Strategies = strategies,
            Shots = shots ?? [4, 16],
            Seeds = 2,
            Options = new TrainOptions { LearningRate = 1e-2 },
        };

    [Fact]
    public void EveryStrategyRunsOnTheSameSamplesAndIsScoredOnTheTestData()
    {
        var scratch = new Scratch(Epochs: 6);
        var features = new FeatureExtraction(Epochs: 10);
        var tune = new FineTune(Epochs: 2) { Head = new FeatureExtraction(Epochs: 6) };
        var comparison = Comparison([scratch, features, tune]);
        var samples = new Dictionary<ComparisonRun, int[]>();
        comparison.LearnerCreated += (_, e) =>
            samples[e.Run] = ((SourceView)((DataLoader)e.Learner.Train).Source).SourceIndices.ToArray();
        var started = new List<int>();
        comparison.RunStarted += (_, e) => started.Add(e.Index);

        var result = comparison.Run();

        Assert.False(result.Interrupted);
        Assert.Equal(12, result.Runs.Count);
        Assert.Equal(Enumerable.Range(0, 12), started);
        Assert.Equal(6, result.Rows.Count);
        Assert.All(result.Rows, r => Assert.Equal(2, r.Runs));
        Assert.All(result.Runs, r => Assert.Equal(150, r.Test.Samples));
        Assert.All(samples, kv => Assert.Equal(kv.Key.Shots * Families.Length, kv.Value.Length));
        foreach (var group in samples.GroupBy(kv => (kv.Key.Shots, kv.Key.Seed)))
            Assert.All(group, kv => Assert.Equal(group.First().Value, kv.Value)); // same sample for every strategy
        Assert.NotEqual(samples.Single(kv => kv.Key.Strategy == scratch && kv.Key.Shots == 4 && kv.Key.Seed == 0).Value,
            samples.Single(kv => kv.Key.Strategy == scratch && kv.Key.Shots == 4 && kv.Key.Seed == 1).Value);

        long head = TinyCnn.Features * 3 + 3;
        Assert.Equal(head, result["feature-extraction", 16]!.TrainableParameters);
        Assert.True(result["scratch", 16]!.TrainableParameters > 10 * head);
        Assert.Equal(2, result.Runs.First(r => r.Run.Strategy == tune).History.Phases.Count);
        foreach (var row in result.Rows) output.WriteLine($"{row.Strategy,-20} {row.Shots,3}: {row.Mean:F3} ± {row.Std:F3}  {row.Seconds:F2} s");
        Assert.True(result["feature-extraction", 16]!.Mean > 0.7, "the pretrained base should separate the families from 16 examples each");
        Assert.True(result["feature-extraction", 4]!.Mean > result["scratch", 4]!.Mean, "with 4 examples per class, pretraining should beat scratch");
        Assert.NotNull(result.Best!.Test.Confusion);
    }

    [Fact]
    public void CancellingKeepsTheFinishedRunsAndSaysItWasInterrupted()
    {
        var comparison = Comparison([new FeatureExtraction(Epochs: 2), new Scratch(Epochs: 2)]);
        using var cancel = new CancellationTokenSource();
        comparison.RunEnded += (_, _) => cancel.Cancel();

        var result = comparison.Run(cancel.Token);

        Assert.True(result.Interrupted);
        var run = Assert.Single(result.Runs);
        Assert.Equal(("feature-extraction", 4, 0), (run.Run.Strategy.Name, run.Run.Shots, run.Run.Seed));
        Assert.Single(result.Rows);
    }

    [Fact]
    public void TooFewExamplesForTheLargestShotCountFailBeforeTraining()
    {
        var comparison = Comparison([new Scratch(Epochs: 1)], shots: [4, 500]);
        int runs = 0;
        comparison.RunStarted += (_, _) => runs++;
        var error = Assert.Throws<InvalidOperationException>(() => comparison.Run());
        Assert.Contains("500 shots need 500 per class", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, runs);
    }
}
