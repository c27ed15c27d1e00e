using Graft.Experiments;
using Graft.Training;
using static TorchSharp.torch;

namespace Graft.Tests.Experiments;

public class DemoModelTests
{
    private static readonly string Base = DemoDataTests.RepositoryFile(FashionMnistTransfer.ShippedBaseFile);

    [Fact]
    public void GridHeadKeepsTheBaseWeightsAndSeesEveryCell()
    {
        var (saved, _) = SavedModel.Load(Base);
        using var model = FashionMnistTransfer.TargetModel(Base, headGrid: 7);
        var savedWeights = saved.state_dict();
        var weights = model.state_dict();
        // Every weight of the base up to its last stage is carried over unchanged; the old head is gone.
        foreach (var (name, tensor) in savedWeights.Where(kv => kv.Key.StartsWith("layer3.", StringComparison.Ordinal) || kv.Key.StartsWith("conv1.", StringComparison.Ordinal)))
            Assert.True(weights[name].eq(tensor).all().item<bool>(), name);
        Assert.DoesNotContain("fc.weight", weights.Keys);
        Assert.Equal([5, 128 * 7 * 7], weights["head.fc.weight"].shape);
        Assert.Equal("head", model.HeadName);

        // A cell of the 7x7 map changes the output on its own: the head is not an average over the image.
        using var scope = NewDisposeScope();
        model.eval();
        using var noGrad = no_grad();
        var moved = zeros(1, 128, 7, 7);
        moved[0, 0, 0, 0] = tensor(1f);
        var shifted = zeros(1, 128, 7, 7);
        shifted[0, 0, 6, 6] = tensor(1f);
        var head = model.Head.ForwardModule;
        Assert.False(head.call(moved).allclose(head.call(shifted)));
        Assert.Equal([2, 5], model.call(zeros(2, 1, 28, 28)).shape);
    }

    [Fact]
    public void ScratchAndTransferModelsHaveTheSameArchitecture()
    {
        using var scratch = FashionMnistTransfer.TargetModel(null, headGrid: 7);
        using var transfer = FashionMnistTransfer.TargetModel(Base, headGrid: 7);
        Assert.Equal(transfer.state_dict().Select(kv => (kv.Key, string.Join('x', kv.Value.shape))),
            scratch.state_dict().Select(kv => (kv.Key, string.Join('x', kv.Value.shape))));
        using var global = FashionMnistTransfer.TargetModel(Base, headGrid: 1);
        Assert.Equal([5, 128], global.state_dict()["fc.weight"].shape);
    }
}
