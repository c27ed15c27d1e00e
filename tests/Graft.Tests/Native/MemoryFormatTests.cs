using Graft.Layers;
using Graft.Models;
using Graft.Native;
using Graft.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Native;

/// <summary>Zoo CNNs run channels-last (Native/MemoryFormat.cs) and give the standard layout's outputs.</summary>
public class MemoryFormatTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bench-memfmt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A standard-layout (contiguous) twin holding the same values as `source` (copied, not re-seeded: other test
    // classes share the global generator and run in parallel).
    private static Network StandardLayout(string arch, Network? source)
    {
        var network = Zoo.Create(arch, numClasses: 10);
        using var _ = no_grad();
        foreach (var (_, p) in network.named_parameters())
            if (p.dim() == 4)
            {
                using var dense = p.contiguous();
                using var copy = dense.clone();
                p.set_(copy);
            }
        if (source is null) return network;
        var from = source.state_dict();
        foreach (var (name, t) in network.state_dict()) t.copy_(from[name]);
        return network;
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("mobilenet_v2")]
    public void ZooNetworksAreChannelsLastAndMatchTheStandardLayout(string arch)
    {
        manual_seed(3);
        using var fast = Zoo.Create(arch, numClasses: 10);
        using var standard = StandardLayout(arch, fast);
        var convWeights = fast.named_parameters().Where(p => p.parameter.dim() == 4).ToList();
        Assert.NotEmpty(convWeights);
        Assert.All(convWeights, p => Assert.True(MemoryFormat.IsChannelsLast(p.parameter), p.name));
        Assert.All(standard.named_parameters().Where(p => p.parameter.dim() == 4), p => Assert.True(p.parameter.is_contiguous()));

        manual_seed(4);
        using var x = randn(2, 3, 96, 96);
        fast.eval();
        standard.eval();
        using var _ = no_grad();
        using var expected = standard.call(x);
        using var actual = fast.call(x);
        double scale = expected.abs().max().item<float>();
        double diff = (actual - expected).abs().max().item<float>();
        // Same arithmetic, different summation order inside the kernels: float rounding only.
        Assert.True(diff <= 1e-4 * Math.Max(scale, 1), $"max abs diff {diff} at output scale {scale}");
    }

    [Fact]
    public void AStandardLayoutInputComesOutOfTheFirstConvolutionChannelsLast()
    {
        manual_seed(7);
        using var network = Zoo.Create("resnet18");
        using var stem = network.Features("conv1");
        using var x = randn(1, 3, 32, 32);
        Assert.True(x.is_contiguous());
        using var _ = no_grad();
        using var y = stem.call(x);
        // libtorch picks NHWC when the weight is NHWC, and later layers keep it: no input conversion is needed.
        Assert.True(MemoryFormat.IsChannelsLast(y));
        Assert.False(y.is_contiguous());
    }

    [Fact]
    public void SavedWeightsAreStandardLayoutAndLoadBackExactly()
    {
        manual_seed(5);
        using var network = Zoo.Create("resnet18", numClasses: 10);
        string path = Path.Combine(_folder, "w.safetensors");
        SafeTensors.Write(path, network.state_dict());
        using var loaded = SafeTensors.Read(path);
        using var standard = StandardLayout("resnet18", source: null);
        loaded.LoadInto(standard, strict: true);
        foreach (var (name, p) in network.named_parameters())
        {
            var q = standard.get_parameter(name)!;
            Assert.True(q.is_contiguous(), name);
            Assert.True(p.equal(q).all().item<bool>(), name);
        }
    }

    [Fact]
    public void ConversionKeepsTheParameterObjectsAndTheirTrainability()
    {
        manual_seed(6);
        using var network = ResNet.ResNet18(numClasses: 3);
        network.BaseLayers.Freeze();
        var before = network.parameters().ToList();
        MemoryFormat.ToChannelsLast(network);
        var after = network.parameters().ToList();
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++) Assert.Same(before[i], after[i]);
        Assert.False(network.get_parameter("conv1.weight")!.requires_grad);
        Assert.True(network.get_parameter("fc.weight")!.requires_grad);
        Assert.True(MemoryFormat.IsChannelsLast(network.get_parameter("layer4.1.conv2.weight")!));
    }
}
