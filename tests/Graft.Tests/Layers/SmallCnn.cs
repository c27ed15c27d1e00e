using Graft.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Layers;

/// <summary>A small CNN with BatchNorm, used by the layer-API tests.</summary>
internal static class SmallCnn
{
    public static Network Create(int classes = 3, long seed = 1)
    {
        torch.manual_seed(seed);
        return new Network("small_cnn",
            ("conv1", nn.Conv2d(3, 8, 3, padding: 1)),
            ("bn1", nn.BatchNorm2d(8)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(8, 16, 3, padding: 1)),
            ("bn2", nn.BatchNorm2d(16)),
            ("relu2", nn.ReLU()),
            ("gap", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(16, classes)));
    }

    /// <summary>Snapshots every parameter and buffer by name (copies).</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    /// <summary>Runs SGD steps in train mode on random data.</summary>
    public static void TrainSteps(nn.Module<Tensor, Tensor> model, int steps, long seed = 7, Func<optim.Optimizer>? makeOptimizer = null)
    {
        var generator = new torch.Generator((ulong)seed);
        var optimizer = makeOptimizer?.Invoke() ?? optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        model.train();
        for (int i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(new long[] { 4, 3, 8, 8 }, generator: generator);
            var y = torch.randint(0, 3, new long[] { 4 }, generator: generator);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        }
    }
}

internal static class TensorAssert
{
    /// <summary>True when both tensors have the same shape and identical elements.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
