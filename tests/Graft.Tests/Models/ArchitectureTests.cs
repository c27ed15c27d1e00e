using Graft.Layers;
using Graft.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Tests.Models;

/// <summary>Behaviour every zoo architecture shares: class counts, heads, feature vectors, no leaked tensors.</summary>
public sealed class ArchitectureTests
{
    public static TheoryData<string> ModelNames => new(Zoo.Names);

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void NumClassesResizesOnlyTheHead(string model)
    {
        var spec = Zoo.Find(model);
        using var standard = Zoo.Create(model);
        using var five = Zoo.Create(model, numClasses: 5);
        Assert.Equal(spec.HeadName, standard.HeadName);
        Assert.Equal(spec.HeadName, five.HeadName);

        var a = Shapes(standard);
        var b = Shapes(five);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        var changed = a.Keys.Where(k => a[k] != b[k]).Order().ToArray();
        var finalLinear = FinalLinearName(standard);
        Assert.Equal(new[] { $"{finalLinear}.bias", $"{finalLinear}.weight" }, changed);
        Assert.EndsWith(", 5]", b[$"{finalLinear}.weight"], StringComparison.Ordinal); // [5, features]
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void ForwardGivesLogitsAndTheBaseGivesFeaturesWithoutLeakingTensors(string model)
    {
        var spec = Zoo.Find(model);
        using var network = Zoo.Create(model, numClasses: 7);
        network.eval();
        int size = spec.InputChannels == 1 ? 28 : 64;
        using var input = torch.randn(2, spec.InputChannels, size, size);
        using var _ = torch.no_grad();
        using (var scope = torch.NewDisposeScope())
        {
            var logits = network.forward(input);
            Assert.Equal(1, scope.DisposablesCount); // the output only: every intermediate was released
            Assert.Equal(new long[] { 2, 7 }, logits.shape);
            Assert.True(logits.isfinite().all().item<bool>());
        }
        using (var scope = torch.NewDisposeScope())
        {
            var features = network.WithoutHead().forward(input);
            long width = FirstLinear(network).in_features; // the head's input
            Assert.Equal(2, features.shape[0]);
            Assert.Equal(width, features.shape.Skip(1).Aggregate(1L, (x, y) => x * y));
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void ResetHeadKeepsTheBaseAndReplacesTheFinalLinear(string model)
    {
        var spec = Zoo.Find(model);
        using var network = Zoo.Create(model);
        var oldHead = FinalLinear(network);
        var fresh = spec.ResetHead(network, 3);

        Assert.Equal(network.Layers.Names, fresh.Layers.Names);
        Assert.Same(network.Layers[0].Module, fresh.Layers[0].Module);
        var newHead = (Linear)FinalLinear(fresh);
        Assert.NotSame(oldHead, newHead);
        Assert.Equal(3, newHead.out_features);
        Assert.Equal(((Linear)oldHead).in_features, newHead.in_features);
        Assert.Equal(spec.NumClasses, ((Linear)FinalLinear(network)).out_features); // the original is untouched
        Assert.True(newHead.bias is null || newHead.bias.abs().max().item<float>() < 1.0f);
        Assert.True(newHead.weight.abs().max().item<float>() > 0f);
    }

    [Fact]
    public void ResNet18LayersAreTorchvisionsAndAFrozenBaseTrainsOnlyTheNewHead()
    {
        var model = Zoo.Create("resnet18", numClasses: 5);
        Assert.Equal(["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten", "fc"], model.Layers.Names);
        Assert.Equal("fc", model.HeadName);
        using (var input = torch.randn(2, 3, 64, 64))
        using (var scope = torch.NewDisposeScope())
        {
            model.eval();
            Assert.Equal(new long[] { 2, 256, 4, 4 }, model.Features("layer3").forward(input).shape);
            Assert.Equal(new long[] { 2, 512 }, model.WithoutHead().forward(input).shape);
        }

        model.Freeze();
        Assert.Equal(0, model.Layers.Counts.TrainableParameters);
        var fresh = Zoo.Find("resnet18").ResetHead(model, 5);
        Assert.Equal(2_565, fresh.Layers.Counts.TrainableParameters); // 512 × 5 + 5
        Assert.Equal(11_689_512 - 513_000 + 2_565, fresh.Layers.Counts.Parameters);
    }

    [Fact]
    public void FeatureBlocksAreLayersOfTheirOwn()
    {
        var mobile = Zoo.Create("mobilenet_v2");
        Assert.Equal(Enumerable.Range(0, 19).Select(i => $"features.{i}").Concat(["avgpool", "flatten", "classifier"]), mobile.Layers.Names);
        Assert.Contains("features.3.conv.0.0.weight", mobile.state_dict().Keys);

        mobile.UnfreezeTop(1);
        Assert.True(mobile.Layers["features.18"].Trainable);
        Assert.False(mobile.Layers["features.17"].Trainable);
        Assert.True(mobile.Layers["classifier"].Trainable);

        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"features.{i}").Concat(["avgpool", "flatten", "classifier"]),
            Zoo.Create("efficientnet_b0").Layers.Names);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"features.{i}").Concat(["avgpool", "classifier"]),
            Zoo.Create("convnext_tiny").Layers.Names);
        Assert.Equal(Enumerable.Range(0, 13).Select(i => $"features.{i}").Concat(["avgpool", "flatten", "classifier"]),
            Zoo.Create("mobilenet_v3_small").Layers.Names);
        Assert.Equal(31 + 3, Zoo.Create("vgg16").Layers.Count);
        Assert.Equal(44 + 3, Zoo.Create("vgg16_bn").Layers.Count);
    }

    [Fact]
    public void MiniResNetFitsFashionMnist()
    {
        var model = Zoo.Create("resnet_mini");
        Assert.Equal(["conv1", "bn1", "relu", "layer1", "layer2", "layer3", "avgpool", "flatten", "fc"], model.Layers.Names);
        Assert.Equal(1, Zoo.Find("resnet_mini").InputChannels);
        Assert.Equal(28, Zoo.Find("resnet_mini").InputSize);
        Assert.Equal(new long[] { 32, 1, 3, 3 }, model.state_dict()["conv1.weight"].shape);
        Assert.Equal(new long[] { 10, 128 }, model.state_dict()["fc.weight"].shape);
        Assert.InRange(model.Layers.Counts.Parameters, 250_000, 350_000);
        using var rgb = Zoo.Create("resnet_mini", inChannels: 3, numClasses: 4);
        Assert.Equal(new long[] { 32, 3, 3, 3 }, rgb.state_dict()["conv1.weight"].shape);
    }

    private static Dictionary<string, string> Shapes(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => $"[{string.Join(", ", kv.Value.shape.Reverse())}]");

    private static nn.Module FinalLinear(Network network) =>
        network.Head.Module is Network group ? group.Children.Last(c => c.Module is Linear).Module : network.Head.Module;

    private static Linear FirstLinear(Network network) =>
        network.Head.Module is Network group ? (Linear)group.Children.First(c => c.Module is Linear).Module : (Linear)network.Head.Module;

    private static string FinalLinearName(Network network) =>
        network.Head.Module is Network group ? $"{network.HeadName}.{group.Children.Last(c => c.Module is Linear).Name}" : network.HeadName;
}
