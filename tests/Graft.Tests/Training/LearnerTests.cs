using Graft.Data;
using Graft.Layers;
using Graft.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public sealed class LearnerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"graft-learner-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static (Network Network, Learner Learner) Small(TrainOptions? options = null, IBatchSource? train = null)
    {
        var (x, shapes) = Shapes.Generate(48, seed: 61);
        var (vx, vshapes) = Shapes.Generate(32, seed: 62);
        var network = TinyCnn.Create(3, seed: 2);
        var learner = new Learner(network, train ?? new TensorBatchSource(x, Shapes.Family(shapes), 16, seed: 1),
            new TensorBatchSource(vx, Shapes.Family(vshapes), 32, shuffle: false), options: options);
        return (network, learner);
    }

    [Fact]
    public void EventsFireInTheirDocumentedOrder()
    {
        var (_, learner) = Small();
        using var _ = learner;
        var log = new List<string>();
        learner.FitStarted += (_, e) => log.Add($"fit-started {e.Phase} {e.Epochs}x{e.StepsPerEpoch}");
        learner.EpochStarted += (_, e) => log.Add($"epoch-started {e.Epoch}");
        learner.StepEnded += (_, e) =>
        {
            Assert.True(double.IsFinite(e.Loss) && e.SamplesPerSecond > 0);
            log.Add($"step {e.Epoch}.{e.Step}");
        };
        learner.EpochEnded += (_, e) => log.Add($"epoch-ended {e.Record.Epoch} val {(e.Record.Validation is null ? "no" : "yes")}");
        learner.FitEnded += (_, e) => log.Add($"fit-ended {e.Result.Stop}");

        learner.Fit(2);

        Assert.Equal([
            "fit-started fit 2x3", "epoch-started 0", "step 0.0", "step 0.1", "step 0.2", "epoch-ended 0 val yes",
            "epoch-started 1", "step 1.0", "step 1.1", "step 1.2", "epoch-ended 1 val yes", "fit-ended Completed"], log);
    }

    [Fact]
    public void AStopRequestEndsThePhaseAfterTheCurrentStep()
    {
        var (_, learner) = Small();
        using var _ = learner;
        int steps = 0;
        learner.StepEnded += (_, e) =>
        {
            steps++;
            if (e.Epoch == 1 && e.Step == 0) learner.StopRequested = true;
        };
        var result = learner.Fit(5);
        Assert.Equal(StopReason.Requested, result.Stop);
        Assert.Equal(4, steps);
        Assert.Equal(2, result.Epochs.Count);
        Assert.Null(result.Epochs[1].Validation); // the cut epoch is reported without validation
        Assert.False(learner.StopRequested);

        using var cancellation = new CancellationTokenSource();
        learner.StepEnded += (_, _) => cancellation.Cancel();
        steps = 0;
        Assert.Equal(StopReason.Requested, learner.Fit(new FitOptions(5), cancellation.Token).Stop);
        Assert.Equal(1, steps);
    }

    [Fact]
    public void EarlyStoppingWaitsForPatienceThenRestoresTheBestWeights()
    {
        // A minimum improvement no epoch can reach: epoch 0 stays the best and patience 2 stops after epoch 2.
        var (network, learner) = Small(new TrainOptions { EarlyStopping = new EarlyStopping(Patience: 2, MinDelta: 1e9) });
        using var _ = learner;
        Dictionary<string, byte[]>? epoch0 = null;
        learner.EpochEnded += (_, e) =>
        {
            if (e.Record.Epoch == 0) epoch0 = Bits.Of(network);
        };
        var result = learner.Fit(10);
        Assert.Equal(StopReason.EarlyStopped, result.Stop);
        Assert.Equal(3, result.Epochs.Count);
        Assert.Equal(0, result.BestEpoch);
        var now = Bits.Of(network);
        Assert.All(epoch0!, kv => Assert.True(Bits.Same(kv.Value, now[kv.Key]), $"{kv.Key} was not restored"));
    }

    [Fact]
    public void EarlyStoppingOnAValidationMetricWithoutValidationDataIsRefused()
    {
        var (x, shapes) = Shapes.Generate(16, seed: 63);
        using var learner = new Learner(TinyCnn.Create(3), new TensorBatchSource(x, Shapes.Family(shapes), 8),
            options: new TrainOptions { EarlyStopping = new EarlyStopping() });
        var error = Assert.Throws<ArgumentException>(() => learner.Fit(1));
        Assert.Contains("val_loss", error.Message);
    }

    [Fact]
    public void DataErrorsAreCountedAndReportedNotFatal()
    {
        var (x, shapes) = Shapes.Generate(48, seed: 64);
        var source = new FaultySource(new TensorBatchSource(x, Shapes.Family(shapes), 16)) { ErrorOnBatch = 1 };
        var (_, learner) = Small(train: source);
        using var _ = learner;
        var reported = new List<SkippedSample>();
        learner.DataErrorOccurred += (_, e) => reported.Add(e.Error);
        var result = learner.Fit(2);
        Assert.Equal(StopReason.Completed, result.Stop);
        Assert.All(result.Epochs, e => Assert.Equal(1, e.DataErrors));
        Assert.Equal(["images/0-1.png", "images/1-1.png"], reported.Select(r => r.Name));
    }

    [Fact]
    public void EvaluateAndPredictRunInInferenceModeAndRestoreTheModelsModes()
    {
        var (network, learner) = Small();
        using var _ = learner;
        learner.Fit(1);
        network.train();
        network.Layers["bn1"].Module.eval(); // a deliberate mix of modes, to be kept

        var values = learner.Evaluate(learner.Validation!);
        var (x, _) = Shapes.Generate(10, seed: 65);
        using var probabilities = learner.Predict(x);

        Assert.True(network.training);
        Assert.False(network.Layers["bn1"].Module.training);
        Assert.True(network.Layers["bn2"].Module.training);
        Assert.Equal(32, values.Samples);
        Assert.InRange(values["accuracy"], 0, 1);
        Assert.NotNull(values.Confusion);
        Assert.Equal([10L, 3L], probabilities.shape);
        Assert.True(probabilities.sum(1).allclose(ones(10), atol: 1e-5));
        // Evaluating twice gives the same numbers: inference mode does not touch BatchNorm statistics.
        Assert.Equal(values["loss"], learner.Evaluate(learner.Validation!)["loss"]);
    }

    [Fact]
    public void KeepBestWritesASavedModelWhenTheMonitoredMetricImproves()
    {
        string path = Path.Combine(_folder, "best.safetensors");
        var (network, learner) = Small(new TrainOptions
        {
            BestModelPath = path,
            ModelInfo = new ModelInfo("test.tiny_cnn") { ClassNames = ["round", "bars", "cornered"], Outputs = 3 },
        });
        using var _ = learner;
        var result = learner.Fit(3);
        Assert.True(File.Exists(path));
        var info = SavedModel.ReadInfo(path);
        Assert.Equal("test.tiny_cnn", info.Architecture);
        Assert.Equal(["round", "bars", "cornered"], info.ClassNames);
        Assert.NotNull(result.BestEpoch);
    }
}
