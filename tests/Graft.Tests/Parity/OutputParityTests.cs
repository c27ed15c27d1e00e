using Graft.Models;
using Graft.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Graft.Tests.Parity;

/// <summary>
/// Graft's models, given torchvision's weights (random, with realistic BatchNorm statistics, saved by PyTorch as
/// .pth and as .safetensors), compute what torchvision computes: the same logits and the same penultimate features
/// in evaluation mode, and in training mode (same seed) the same logits (stochastic depth and dropout draw the same
/// masks) and the same updated BatchNorm running statistics.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class OutputParityTests(TorchvisionOracle oracle, ITestOutputHelper output)
{
    public static TheoryData<string, string> ArchitecturesAndFormats
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var architecture in GoldenArchitectureTests.Architectures)
            {
                data.Add(architecture, "pth");
                data.Add(architecture, "safetensors");
            }
            return data;
        }
    }

    public static TheoryData<string> All => GoldenArchitectureTests.All;

    [Theory]
    [MemberData(nameof(ArchitecturesAndFormats))]
    public void EvalOutputsEqualTorchvision(string architecture, string format)
    {
        using var model = LoadModel(architecture, oracle.PathOf($"{architecture}.{format}"));
        using var io = StateDict.Load(oracle.PathOf($"{architecture}.io.safetensors"));
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();

        var logits = model.forward(io["input"]);
        double logitsDifference = Tolerance.AssertClose(io["logits"], logits, $"{architecture} ({format}) eval logits");
        var features = model.WithoutHead().forward(io["input"]);
        double featuresDifference = Tolerance.AssertClose(io["features"], features, $"{architecture} ({format}) penultimate features");
        output.WriteLine($"{architecture} {format}: max |Δ| logits {logitsDifference:G3}, features {featuresDifference:G3}");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void TrainingStepEqualsTorchvision(string architecture)
    {
        var record = oracle.Record(architecture);
        using var model = LoadModel(architecture, oracle.PathOf($"{architecture}.safetensors"));
        using var io = StateDict.Load(oracle.PathOf($"{architecture}.io.safetensors"));
        using var expectedBuffers = StateDict.Load(oracle.PathOf($"{architecture}.train.safetensors"));
        model.train();
        torch.manual_seed(record.TrainSeed);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();

        var logits = model.forward(io["input"]);
        double logitsDifference = Tolerance.AssertClose(io["train_logits"], logits, $"{architecture} train-mode logits");

        var buffers = model.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        Assert.Equal(expectedBuffers.Keys.Order(), buffers.Keys.Order());
        double statisticsDifference = 0;
        foreach (var (key, expected) in expectedBuffers)
        {
            if (expected.dtype == ScalarType.Int64)
                Assert.True(expected.equal(buffers[key]).item<bool>(), $"{architecture}: '{key}' is {buffers[key].item<long>()}, PyTorch's is {expected.item<long>()}.");
            else
                statisticsDifference = Math.Max(statisticsDifference, Tolerance.AssertClose(expected, buffers[key], $"{architecture} '{key}' after one training step"));
        }
        output.WriteLine($"{architecture}: max |Δ| train logits {logitsDifference:G3}, BatchNorm statistics {statisticsDifference:G3} ({expectedBuffers.Count} buffers)");
    }

    private static Graft.Layers.Network LoadModel(string architecture, string path)
    {
        var model = Zoo.Create(architecture);
        using var state = StateDict.Load(path);
        var report = state.LoadInto(model, strict: true);
        Assert.True(report.IsExact, report.ToString());
        return model;
    }
}
