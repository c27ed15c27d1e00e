using Graft.Data;
using Graft.Layers;
using Graft.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public class FreezingTests
{
    [Fact]
    public void FrozenLayersStayBitwiseUnchangedThroughTrainModeSteps()
    {
        var network = TinyCnn.Create(4, seed: 5);
        network.Layers[..^1].Freeze();
        var (x, y) = Shapes.Generate(64, seed: 11, shapes: [0, 1, 2, 3]);
        using var learner = new Learner(network, new TensorBatchSource(x, y, 16, seed: 2));
        var before = Bits.Of(network);

        var gradients = new List<(string Name, bool Has)>();
        learner.StepEnded += (_, _) =>
        {
            gradients.Clear();
            foreach (var (name, parameter) in network.named_parameters()) gradients.Add((name, parameter.grad is not null));
        };

        network.train();
        learner.Fit(2); // 8 steps in training mode

        var after = Bits.Of(network);
        foreach (var (name, bytes) in before)
        {
            bool trainable = name.StartsWith("fc.", StringComparison.Ordinal);
            if (trainable) Assert.False(Bits.Same(bytes, after[name]), $"{name} is trainable and should have changed");
            else Assert.True(Bits.Same(bytes, after[name]), $"{name} is frozen (parameter or BatchNorm buffer) and changed");
        }
        // During a step only trainable parameters hold a gradient; when the phase ends none does.
        Assert.NotEmpty(gradients);
        foreach (var (name, has) in gradients) Assert.Equal(name.StartsWith("fc.", StringComparison.Ordinal), has);
        Assert.All(network.parameters(), p => Assert.Null(p.grad));
        // The optimizer kept state only for what it updated.
        foreach (var (name, parameter) in learner.Optimizer.Parameters)
            Assert.Equal(name.StartsWith("fc.", StringComparison.Ordinal), learner.Optimizer.StateFor(parameter) is not null);
    }

    [Fact]
    public void TogglingTrainableBetweenStepsChangesWhatMovesAtTheNextStep()
    {
        var network = TinyCnn.Create(4, seed: 6);
        var (x, y) = Shapes.Generate(32, seed: 12, shapes: [0, 1, 2, 3]);
        var source = new TensorBatchSource(x, y, 16, seed: 3);
        using var learner = new Learner(network, source);
        var conv1 = network.Layers["conv1"];
        var conv3 = network.Layers["conv3"];
        network.Layers[..^1].Freeze();

        int step = 0;
        var moved = new List<(bool Conv1, bool Conv3, bool Fc)>();
        var snapshot = Bits.Of(network);
        learner.StepEnded += (_, _) =>
        {
            var now = Bits.Of(network);
            moved.Add((!Bits.Same(snapshot["conv1.weight"], now["conv1.weight"]), !Bits.Same(snapshot["conv3.weight"], now["conv3.weight"]),
                !Bits.Same(snapshot["fc.weight"], now["fc.weight"])));
            snapshot = now;
            // Between steps: step 1 unfreezes conv1, step 2 freezes it again and unfreezes conv3.
            if (step == 0) conv1.Trainable = true;
            if (step == 1)
            {
                conv1.Trainable = false;
                conv3.Trainable = true;
            }
            step++;
        };
        learner.Fit(2);

        Assert.Equal((false, false, true), moved[0]);
        Assert.Equal((true, false, true), moved[1]);
        Assert.Equal((false, true, true), moved[2]);
        Assert.Equal((false, true, true), moved[3]);
        Assert.Null(conv1.Module.named_parameters().First().parameter.grad);
    }

    [Fact]
    public void AFullyFrozenModelSaysThereIsNothingToTrain()
    {
        var network = TinyCnn.Create(4).Freeze();
        var (x, y) = Shapes.Generate(16, seed: 1, shapes: [0, 1, 2, 3]);
        using var learner = new Learner(network, new TensorBatchSource(x, y, 8));
        var error = Assert.Throws<InvalidOperationException>(() => learner.Fit(1));
        Assert.Contains("frozen", error.Message);
    }
}
