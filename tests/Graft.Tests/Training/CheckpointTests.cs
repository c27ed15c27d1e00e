using Graft.Data;
using System.Security.Cryptography;
using Graft.Layers;
using Graft.Native;
using Graft.Training;
using Graft.Training.Checkpoints;
using Graft.Training.Optimizers;
using Graft.Training.Strategies;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"graft-checkpoint-test-{Guid.NewGuid():N}");
    private readonly int _threads = get_num_threads();

    public CheckpointTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        set_num_threads(_threads);
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class CrashForTest : Exception;

    // Fine-tuning with random augmentation and dropout in the trainable part: the data, the dropout masks and the
    // optimizer all depend on state that a resume must restore.
    private static (Network Network, Learner Learner) NewRun(string? checkpoint, long initSeed)
    {
        var (x, shapes) = Shapes.Generate(96, seed: 51);
        var (vx, vshapes) = Shapes.Generate(48, seed: 52);
        var train = new TensorBatchSource(x, Shapes.Family(shapes), 16, seed: 9, augment: b => b.add(randn_like(b).mul(0.05)));
        var validation = new TensorBatchSource(vx, Shapes.Family(vshapes), 48, shuffle: false);
        var network = TinyCnn.Create(3, seed: initSeed, dropout: 0.3);
        Pretrained.CopyBaseInto(network);
        var learner = new Learner(network, train, validation,
            options: new TrainOptions { LearningRate = 5e-3, Seed = 77, CheckpointPath = checkpoint, Schedule = Graft.Training.Schedules.LearningRateSchedule.OneCycle });
        return (network, learner);
    }

    private static FineTune Strategy => new(Epochs: 3, UnfreezeTop: 2) { Head = new FeatureExtraction(Epochs: 2) };

    [Fact]
    public void AKilledRunResumedFromItsCheckpointEndsBitwiseEqualToAnUninterruptedRun()
    {
        Compute.SetThreads(1);
        var (reference, referenceLearner) = NewRun(checkpoint: null, initSeed: 1);
        RunResult expected;
        using (referenceLearner) expected = referenceLearner.Run(Strategy);
        var expectedBits = Bits.Of(reference);

        // The same run, killed in the middle of the second fine-tuning epoch.
        string path = Path.Combine(_folder, "run.ckpt.safetensors");
        var (_, killed) = NewRun(path, initSeed: 1);
        killed.StepEnded += (_, e) =>
        {
            if (e.Phase == "fine-tune" && e.Epoch == 1 && e.Step == 3) throw new CrashForTest();
        };
        Assert.Throws<CrashForTest>(() => killed.Run(Strategy));
        killed.Dispose();
        using (var saved = Checkpoint.Read(path))
        {
            Assert.Equal(1, saved.PhaseIndex);
            Assert.Equal("fine-tune", saved.Phase);
            Assert.Equal(1, saved.EpochsCompleted);
        }

        // A new process would start from a fresh model: different initial weights, everything from the checkpoint.
        var (resumed, resumedLearner) = NewRun(path, initSeed: 2);
        RunResult result;
        using (resumedLearner)
        {
            resumedLearner.Resume(path);
            result = resumedLearner.Run(Strategy);
        }

        var actual = Bits.Of(resumed);
        Assert.Equal(expectedBits.Keys.Order(), actual.Keys.Order());
        Assert.All(expectedBits, kv => Assert.True(Bits.Same(kv.Value, actual[kv.Key]), $"{kv.Key} differs after resuming"));
        Assert.Equal(expected.Phases.Select(p => p.Epochs.Count), result.Phases.Select(p => p.Epochs.Count));
        Assert.Equal(expected.Phases.SelectMany(p => p.Epochs).Select(e => e["val_loss"]), result.Phases.SelectMany(p => p.Epochs).Select(e => e["val_loss"]));
    }

    [Fact]
    public void ANaNLossStopsTheRunNamingTheStepAndLeavesTheLastCheckpointIntact()
    {
        string path = Path.Combine(_folder, "nan.ckpt.safetensors");
        var (x, shapes) = Shapes.Generate(64, seed: 53);
        var source = new FaultySource(new TensorBatchSource(x, Shapes.Family(shapes), 16, seed: 1)) { NaNAt = (2, 1) };
        var network = TinyCnn.Create(3);
        using var learner = new Learner(network, source, options: new TrainOptions { CheckpointPath = path });
        byte[]? checkpointAfterEpoch2 = null;
        Dictionary<string, byte[]>? weightsBeforeNaN = null;
        learner.EpochEnded += (_, e) =>
        {
            if (e.Record.Epoch == 1) checkpointAfterEpoch2 = SHA256.HashData(File.ReadAllBytes(path));
        };
        learner.StepEnded += (_, e) =>
        {
            if (e.Epoch == 2 && e.Step == 0) weightsBeforeNaN = Bits.Of(network);
        };

        var result = learner.Fit(5);

        Assert.Equal(StopReason.Diverged, result.Stop);
        Assert.False(result.Succeeded);
        Assert.Contains("step 9 (epoch 3, batch 2 of 4)", result.Message);
        Assert.Contains("NaN", result.Message);
        Assert.Equal(2, result.Epochs.Count);
        Assert.Equal(checkpointAfterEpoch2, SHA256.HashData(File.ReadAllBytes(path)));
        var now = Bits.Of(network);
        Assert.All(weightsBeforeNaN!, kv => Assert.True(Bits.Same(kv.Value, now[kv.Key]), $"{kv.Key} changed by the diverged step"));
        Assert.Empty(Directory.GetFiles(_folder, "*.partial"));
    }

    [Fact]
    public void ALearningRateFarTooHighIsNamedAsTheLikelyCause()
    {
        var (x, _, geometry) = Shapes.GenerateWithGeometry(64, seed: 54);
        manual_seed(4);
        var network = new Network("mlp", ("flatten", nn.Flatten()), ("hidden", nn.Linear(3 * 16 * 16, 16)), ("relu", nn.ReLU()), ("out", nn.Linear(16, 3)));
        using var learner = new Learner(network, new TensorBatchSource(x, geometry, 16), task: new Graft.Training.Tasks.Regression(),
            options: new TrainOptions { LearningRate = 1e3, Optimizer = groups => new Sgd(groups) });
        var result = learner.Fit(20);
        Assert.Equal(StopReason.Diverged, result.Stop);
        Assert.Contains("learning rate too high", result.Message);
        Assert.All(network.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void ACheckpointThatIsNotOneIsRejectedWithItsName()
    {
        string path = Path.Combine(_folder, "bogus.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var error = Assert.Throws<Graft.Weights.WeightFileException>(() => Checkpoint.Read(path));
        Assert.Contains(path, error.Message);
    }
}
