using Graft.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Layers;

public class TrainabilityTests
{
    [Fact]
    public void FrozenWeightsAndBatchNormStatisticsAreBitwiseUnchangedAfterTrainingSteps()
    {
        var model = SmallCnn.Create();
        model.Layers[..^1].Freeze();
        var before = SmallCnn.Snapshot(model);

        SmallCnn.TrainSteps(model, steps: 5);

        var after = model.state_dict();
        foreach (var (key, old) in before)
        {
            bool same = TensorAssert.Same(old, after[key]);
            if (key.StartsWith("fc.")) Assert.False(same, $"{key} should have been trained");
            else Assert.True(same, $"{key} is frozen but changed");
        }
    }

    [Fact]
    public void FrozenParametersGetNoGradient()
    {
        var model = SmallCnn.Create();
        model.Layers[..^1].Freeze();
        SmallCnn.TrainSteps(model, steps: 1);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.StartsWith("fc.")) Assert.NotNull(parameter.grad);
            else Assert.True(parameter.grad is null, $"{name} is frozen but has a gradient");
        }
    }

    [Fact]
    public void SliceFreezesExactlyTheExpectedNamesAndReadsBackRecursively()
    {
        var model = SmallCnn.Create();
        model.Layers[..^3].Freeze();

        var frozen = model.Layers.Where(l => !l.Trainable).Select(l => l.Name).ToArray();
        Assert.Equal(new[] { "conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2" }, frozen);
        Assert.False(model.Trainable);
        Assert.True(model.Layers[^1].Trainable);
        Assert.True(model.Layers["gap"].Trainable);
        Assert.False(model.Layers[0].Trainable);
    }

    [Fact]
    public void SettingTrainableOnAContainerSetsEveryDescendant()
    {
        var model = SmallCnn.Create();
        model.Trainable = false;
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(model.Layers, l => Assert.False(l.Trainable));
        model.Trainable = true;
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        Assert.True(model.Trainable);
    }

    [Fact]
    public void TogglingTrainableBetweenStepsChangesWhatMovesAtTheNextStep()
    {
        var model = SmallCnn.Create();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        model.Layers["conv1"].Freeze();
        var before = SmallCnn.Snapshot(model);
        SmallCnn.TrainSteps(model, 1, makeOptimizer: () => optimizer);
        Assert.True(TensorAssert.Same(before["conv1.weight"], model.state_dict()["conv1.weight"]));
        Assert.False(TensorAssert.Same(before["conv2.weight"], model.state_dict()["conv2.weight"]));

        // Swap: conv1 trainable, conv2 frozen. No rebuild, same optimizer.
        model.Layers["conv1"].Unfreeze();
        model.Layers["conv2"].Freeze();
        before = SmallCnn.Snapshot(model);
        SmallCnn.TrainSteps(model, 1, seed: 8, makeOptimizer: () => optimizer);
        Assert.False(TensorAssert.Same(before["conv1.weight"], model.state_dict()["conv1.weight"]));
        Assert.True(TensorAssert.Same(before["conv2.weight"], model.state_dict()["conv2.weight"]));
    }

    [Fact]
    public void FrozenBatchNormRunsInInferenceModeInsideATrainingModel()
    {
        var model = SmallCnn.Create();
        model.Layers["bn1"].Freeze();
        model.train();
        var bn1 = model.Layers["bn1"].Module;
        var bn2 = model.Layers["bn2"].Module;
        var mean1 = ((TorchSharp.Modules.BatchNorm2d)bn1).running_mean!.clone();
        var mean2 = ((TorchSharp.Modules.BatchNorm2d)bn2).running_mean!.clone();
        using (torch.no_grad()) model.call(torch.randn(4, 3, 8, 8));
        Assert.True(TensorAssert.Same(mean1, ((TorchSharp.Modules.BatchNorm2d)bn1).running_mean!), "frozen BatchNorm updated its statistics");
        Assert.False(TensorAssert.Same(mean2, ((TorchSharp.Modules.BatchNorm2d)bn2).running_mean!), "trainable BatchNorm should update");
        Assert.False(bn1.training);
        Assert.True(BatchNormPolicy.IsPinned(bn1));
    }

    [Fact]
    public void UnfreezingKeepsBatchNormInInferenceModeUnlessAskedOtherwise()
    {
        var model = SmallCnn.Create();
        model.Freeze();
        model.Unfreeze();
        var bn = (TorchSharp.Modules.BatchNorm2d)model.Layers["bn1"].Module;
        Assert.True(model.Trainable);
        Assert.True(BatchNormPolicy.IsPinned(bn));
        model.train();
        var mean = bn.running_mean!.clone();
        using (torch.no_grad()) model.call(torch.randn(4, 3, 8, 8));
        Assert.True(TensorAssert.Same(mean, bn.running_mean!));

        model.Unfreeze(batchNormTraining: true);
        Assert.False(BatchNormPolicy.IsPinned(bn));
        model.train();
        using (torch.no_grad()) model.call(torch.randn(4, 3, 8, 8));
        Assert.False(TensorAssert.Same(mean, bn.running_mean!));
    }

    [Fact]
    public void DropoutFollowsTheModelMode()
    {
        torch.manual_seed(3);
        var model = new Network("drop", ("fc", nn.Linear(16, 16)), ("dropout", nn.Dropout(0.5)));
        model.Freeze();
        var x = torch.ones(2, 16);
        model.eval();
        using (torch.no_grad())
        {
            var a = model.call(x);
            var b = model.call(x);
            Assert.True(TensorAssert.Same(a, b), "dropout must be off in eval mode");
            model.train();
            var c = model.call(x);
            Assert.True((c == 0).any().item<bool>(), "dropout must be active in train mode even when frozen");
        }
    }
}
