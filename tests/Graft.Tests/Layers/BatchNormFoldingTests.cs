using Graft.Data;
using Graft.Layers;
using Graft.Models;
using Graft.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Tests.Layers;

/// <summary>Conv + BatchNorm folding in inference (Layers/BatchNormFolding.cs): same outputs, weights untouched.</summary>
public class BatchNormFoldingTests
{
    // Random BatchNorm statistics and affine parameters, so folding has something to get wrong.
    private static Network WithRandomNorms(string arch, long seed)
    {
        var network = Zoo.Create(arch, numClasses: 7);
        var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var module in network.modules())
            if (module is BatchNorm2d bn)
            {
                bn.running_mean!.copy_(randn(bn.running_mean.shape, generator: generator) * 0.1);
                bn.running_var!.copy_(rand(bn.running_var.shape, generator: generator) + 0.5);
                bn.weight!.copy_(rand(bn.weight.shape, generator: generator) + 0.5);
                bn.bias!.copy_(randn(bn.bias.shape, generator: generator) * 0.1);
            }
        return network;
    }

    private static int CountNormCalls(Network network, Action run)
    {
        int calls = 0;
        var handles = network.modules().OfType<BatchNorm2d>()
            .Select(bn => bn.register_forward_hook((_, _, output) => { calls++; return output; })).ToList();
        try
        {
            run();
        }
        finally
        {
            foreach (var h in handles) h.remove();
        }
        return calls;
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("mobilenet_v2")]
    public void FoldedInferenceEqualsTheUnfoldedNetwork(string arch)
    {
        using var network = WithRandomNorms(arch, seed: 11);
        network.eval();
        var before = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var x = randn(2, 3, 64, 64, generator: new Generator(12));

        Tensor folded = null!;
        int foldedNormCalls = CountNormCalls(network, () =>
        {
            using var _ = no_grad();
            folded = network.call(x);
        });
        // Autograd needs the real BatchNorm when the input wants a gradient: the unfolded reference.
        using var xg = x.clone().requires_grad_(true);
        Tensor unfolded = null!;
        int unfoldedNormCalls = CountNormCalls(network, () => unfolded = network.call(xg).detach());

        Assert.Equal(0, foldedNormCalls);
        Assert.True(unfoldedNormCalls > 0);
        double scale = unfolded.abs().max().item<float>();
        double diff = (folded - unfolded).abs().max().item<float>();
        // Float rounding only: the folded product is rounded once more than BatchNorm's two steps.
        Assert.True(diff <= 1e-4 * Math.Max(scale, 1), $"max abs diff {diff} at output scale {scale}");
        foreach (var (name, value) in network.state_dict())
            Assert.True(value.equal(before[name]).all().item<bool>(), $"{name} changed");
        folded.Dispose();
        unfolded.Dispose();
    }

    [Fact]
    public void TrainingModeIsNeverFolded()
    {
        using var network = WithRandomNorms("resnet18", seed: 13);
        network.train();
        using var x = randn(2, 3, 32, 32, generator: new Generator(14));
        int calls = CountNormCalls(network, () =>
        {
            using var _ = no_grad();
            using var y = network.call(x);
        });
        Assert.Equal(20, calls); // every BatchNorm of ResNet-18 ran itself (batch statistics)
    }

    [Fact]
    public void AFrozenBaseRunsFoldedInATrainingStepAndStillTrainsOnceUnfrozen()
    {
        using var network = WithRandomNorms("resnet18", seed: 15);
        network.BaseLayers.Freeze();
        using var x = randn(4, 3, 32, 32, generator: new Generator(16));
        using var y = tensor(new long[] { 0, 1, 2, 3 });
        var source = new TensorBatchSource(x, y, batchSize: 4, shuffle: false);

        int frozenCalls = CountNormCalls(network, () =>
        {
            using var learner = new Learner(network, source);
            learner.Fit(1);
        });
        Assert.Equal(0, frozenCalls);

        network.Unfreeze();
        using var conv1Before = network.get_parameter("conv1.weight")!.clone();
        int unfrozenCalls = CountNormCalls(network, () =>
        {
            using var learner = new Learner(network, source);
            learner.Fit(1);
        });
        Assert.True(unfrozenCalls > 0);
        Assert.False(network.get_parameter("conv1.weight")!.equal(conv1Before).all().item<bool>(), "conv1 did not train once unfrozen");
    }
}
