using Graft.Data;
using Graft.Layers;
using Graft.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

/// <summary>Training tests change torch's thread count and global generator: they run one at a time.</summary>
[CollectionDefinition("Training", DisableParallelization = true)]
public sealed class TrainingCollection;

/// <summary>
/// Small image data with structure: 3×16×16 pictures of six shapes (filled square, disc, cross, horizontal bar,
/// vertical bar, ring) in random colours, sizes and positions over a noisy background.
/// </summary>
internal static class Shapes
{
    public const int Size = 16;
    public static readonly string[] Names = ["square", "disc", "cross", "hbar", "vbar", "ring"];

    /// <summary>Images and shape labels (0–5) of <paramref name="count"/> random pictures.</summary>
    public static (Tensor X, Tensor Y) Generate(int count, int seed, int[]? shapes = null)
    {
        var (x, y, geometry) = GenerateWithGeometry(count, seed, shapes);
        geometry.Dispose();
        return (x, y);
    }

    /// <summary>Images, shape labels and each shape's geometry as a regression target: area in hundreds of pixels,
    /// bounding-box width and height in sixteenths of the picture.</summary>
    public static (Tensor X, Tensor Y, Tensor Geometry) GenerateWithGeometry(int count, int seed, int[]? shapes = null)
    {
        shapes ??= [0, 1, 2, 3, 4, 5];
        var random = new Random(seed);
        var pixels = new float[count * 3 * Size * Size];
        var labels = new long[count];
        var geometry = new float[count * 3];
        for (int n = 0; n < count; n++)
        {
            int shape = shapes[random.Next(shapes.Length)];
            labels[n] = shape;
            float[] colour = [0.4f + 0.6f * random.NextSingle(), 0.4f + 0.6f * random.NextSingle(), 0.4f + 0.6f * random.NextSingle()];
            int radius = 3 + random.Next(3);
            int cx = radius + random.Next(Size - 2 * radius), cy = radius + random.Next(Size - 2 * radius);
            int left = Size, right = -1, top = Size, bottom = -1;
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    bool on = Inside(shape, x - cx, y - cy, radius);
                    if (on)
                    {
                        geometry[n * 3] += 0.01f;
                        (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                    }
                    for (int c = 0; c < 3; c++)
                        pixels[((n * 3 + c) * Size + y) * Size + x] = (on ? colour[c] : 0f) + 0.15f * (random.NextSingle() - 0.5f);
                }
            geometry[n * 3 + 1] = (right - left + 1) / (float)Size;
            geometry[n * 3 + 2] = (bottom - top + 1) / (float)Size;
        }
        return (tensor(pixels, [count, 3, Size, Size]), tensor(labels), tensor(geometry, [count, 3]));
    }

    /// <summary>A label per image derived from the shape: round (disc, ring) 0, bars 1, cornered (square, cross) 2.</summary>
    public static Tensor Family(Tensor shapeLabels)
    {
        long[] family = [2, 0, 2, 1, 1, 0];
        return tensor(shapeLabels.data<long>().ToArray().Select(s => family[s]).ToArray());
    }

    private static bool Inside(int shape, int dx, int dy, int r) => shape switch
    {
        0 => Math.Abs(dx) <= r && Math.Abs(dy) <= r,
        1 => dx * dx + dy * dy <= r * r,
        2 => (Math.Abs(dx) <= 1 && Math.Abs(dy) <= r) || (Math.Abs(dy) <= 1 && Math.Abs(dx) <= r),
        3 => Math.Abs(dy) <= 1 && Math.Abs(dx) <= r,
        4 => Math.Abs(dx) <= 1 && Math.Abs(dy) <= r,
        _ => dx * dx + dy * dy <= r * r && dx * dx + dy * dy >= (r - 1.5) * (r - 1.5),
    };
}

/// <summary>A small CNN as a Graft Network: three conv/BN/ReLU stages, pooling, a linear head named <c>fc</c>.</summary>
internal static class TinyCnn
{
    public const int Features = 32;

    public static Network Create(int classes, long seed = 1, double dropout = 0)
    {
        torch.manual_seed(seed);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv1", nn.Conv2d(3, 8, 3, padding: 1)), ("bn1", nn.BatchNorm2d(8)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(8, 16, 3, padding: 1)), ("bn2", nn.BatchNorm2d(16)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("conv3", nn.Conv2d(16, Features, 3, padding: 1)), ("bn3", nn.BatchNorm2d(Features)), ("relu3", nn.ReLU()),
            ("pool3", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()),
        };
        if (dropout > 0) layers.Add(("dropout", nn.Dropout(dropout)));
        layers.Add(("fc", nn.Linear(Features, classes)));
        return new Network("tiny_cnn", layers);
    }
}

/// <summary>A base pretrained once per test run on the six-shape task, copied into fresh networks on demand.</summary>
internal static class Pretrained
{
    private static readonly Lazy<WeightSnapshot> Weights = new(Train);

    /// <summary>A tiny CNN with the pretrained base and a six-class head.</summary>
    public static Network SixShapeNetwork()
    {
        var network = TinyCnn.Create(6, seed: 99);
        Weights.Value.RestoreInto(network);
        return network;
    }

    /// <summary>Copies the pretrained base (every layer but the head) into <paramref name="network"/>.</summary>
    public static void CopyBaseInto(Network network)
    {
        var source = Weights.Value.Tensors; // before no_grad: the first call trains the base
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(network.named_buffers()))
            if (!name.StartsWith(network.HeadName + ".", StringComparison.Ordinal)) tensor.copy_(source[name]);
    }

    private static WeightSnapshot Train()
    {
        var (x, y) = Shapes.Generate(1200, seed: 7);
        var (vx, vy) = Shapes.Generate(300, seed: 8);
        var network = TinyCnn.Create(6, seed: 3);
        using var learner = new Learner(network, new TensorBatchSource(x, y, 32, seed: 1), new TensorBatchSource(vx, vy, 100, shuffle: false),
            options: new TrainOptions { LearningRate = 3e-3 });
        var result = learner.Fit(8);
        double accuracy = result.Last!["val_accuracy"];
        if (accuracy < 0.8) throw new InvalidOperationException($"The source task did not train (val accuracy {accuracy:F3}); the transfer tests need a real base.");
        return WeightSnapshot.Of(network);
    }
}

/// <summary>Bitwise copies of weights, for "unchanged" assertions.</summary>
internal static class Bits
{
    public static Dictionary<string, byte[]> Of(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(module.named_buffers().Select(b => (b.name, b.buffer)))
            .ToDictionary(w => w.Item1, w => w.Item2.detach().cpu().contiguous().bytes.ToArray());

    public static bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

    public static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.detach().cpu().contiguous().bytes.SequenceEqual(b.detach().cpu().contiguous().bytes);
}
