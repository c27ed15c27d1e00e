using Graft.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Parity;

/// <summary>
/// Each architecture against torchvision's own: the same state_dict keys with the same shapes (the contract that lets
/// published weights load), the same parameter count, and, for the same seed, the same initial weights.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class GoldenArchitectureTests(TorchvisionOracle oracle)
{
    /// <summary>Every architecture the oracle script builds (kept equal to the script's list by a test below).</summary>
    public static readonly string[] Architectures =
    [
        "resnet18", "resnet34", "resnet50", "resnet101", "resnet_mini", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
        "efficientnet_b0", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn", "convnext_tiny",
    ];

    public static TheoryData<string> All => new(Architectures);

    [Fact]
    public void EveryRegisteredModelHasAFixture()
    {
        Assert.Equal(Zoo.Names.Order(), Architectures.Order());
        Assert.Subset(oracle.Architectures.ToHashSet(), Architectures.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(All))]
    public void KeysAndShapesEqualTorchvision(string architecture)
    {
        var expected = oracle.Record(architecture).Keys;
        using var model = Zoo.Create(architecture);
        var state = model.state_dict();
        var actual = state.Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").Order().ToArray();
        Assert.Equal(expected.Select(k => $"{k.Key} [{string.Join(", ", k.Shape)}]").Order().ToArray(), actual);

        // TorchSharp lists all parameters before all buffers; within each kind the order is torchvision's.
        Assert.Equal(expected.Where(k => k.IsParameter).Select(k => k.Key), model.named_parameters().Select(p => p.name));
        Assert.Equal(expected.Where(k => !k.IsParameter).Select(k => k.Key), model.named_buffers().Select(b => b.name));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ParameterCountEqualsTorchvisionAndRegistry(string architecture)
    {
        long expected = oracle.Record(architecture).NumParams;
        using var model = Zoo.Create(architecture);
        Assert.Equal(expected, model.Layers.Counts.Parameters);
        foreach (var weights in Zoo.Find(architecture).Weights)
            Assert.Equal(expected, weights.Meta.Parameters);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void InitialisationEqualsTorchvisionForTheSameSeed(string architecture)
    {
        var record = oracle.Record(architecture);
        torch.manual_seed(record.InitSeed);
        using var model = Zoo.Create(architecture);
        using var _ = torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            double[] expected = record.Init[name];
            using var flat = parameter.detach().reshape(-1).to_type(ScalarType.Float64);
            double sum = flat.sum().item<double>(), squares = (flat * flat).sum().item<double>();
            double first = flat[0].item<double>(), last = flat[-1].item<double>();
            double scale = Math.Max(1.0, expected[1]);
            Assert.True(Math.Abs(sum - expected[0]) <= 1e-6 * Math.Sqrt(scale) * Math.Sqrt(flat.numel()) + 1e-9
                        && Math.Abs(squares - expected[1]) <= 1e-6 * scale
                        && Close(first, expected[2]) && Close(last, expected[3]),
                $"{architecture}: '{name}' differs from torchvision's initialisation for seed {record.InitSeed}: " +
                $"sum {sum} vs {expected[0]}, sum of squares {squares} vs {expected[1]}, first {first} vs {expected[2]}, last {last} vs {expected[3]}.");
        }
    }

    // The same random draws give the same values up to float rounding in functions such as erfinv (trunc_normal_),
    // which differ in the last bit between libtorch versions; a different draw differs in the first digit.
    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= 1e-6 * Math.Max(1e-3, Math.Abs(expected));
}
