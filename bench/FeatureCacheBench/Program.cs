using Graft.Data;
using System.Diagnostics;
using System.Globalization;
using Graft.Layers;
using Graft.Native;
using Graft.Training;
using TorchSharp;
using static TorchSharp.torch;

// Per-epoch time of feature extraction: the head trained on cached features versus the frozen base recomputed
// (under no-grad, in inference mode) at every step. Usage: FeatureCacheBench [samples] [image size] [epochs] [threads]
int samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 512;
int size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
int epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
if (args.Length > 3) Compute.SetThreads(int.Parse(args[3], CultureInfo.InvariantCulture));

var result = FeatureCacheBench.Measure(samples, size, epochs);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median per epoch, {samples} images {size}x{size}, {epochs} epochs, {get_num_threads()} threads: recompute {result.Recompute.TotalMilliseconds:F1} ms/epoch, "
    + $"cached {result.Cached.TotalMilliseconds:F2} ms/epoch (cache built once in {result.CacheBuild.TotalMilliseconds:F0} ms), "
    + $"ratio {result.Ratio:F1}x"));

/// <summary>The measurement, callable from other benches.</summary>
public static class FeatureCacheBench
{
    /// <summary>Mean per-epoch times with and without the feature cache, and the time to build the cache.</summary>
    public static (TimeSpan Recompute, TimeSpan Cached, TimeSpan CacheBuild, double Ratio) Measure(int samples, int size, int epochs)
    {
        manual_seed(0);
        using var x = rand(samples, 3, size, size);
        using var y = randint(0, 10, samples);
        var train = new TensorBatchSource(x, y, 32, seed: 1);

        TimeSpan Run(bool cache, out TimeSpan setup)
        {
            var network = Base(size);
            network.BaseLayers.Freeze();
            using var learner = new Learner(network, train);
            var clock = Stopwatch.StartNew();
            TimeSpan started = TimeSpan.Zero;
            learner.FitStarted += (_, _) => started = clock.Elapsed;
            var phase = learner.Fit(new FitOptions(epochs) { CacheFeatures = cache });
            if (phase.UsedFeatureCache != cache) throw new InvalidOperationException("The cache was not used as asked.");
            setup = started;
            // The first epoch warms up allocators and kernels; take the median of the rest (robust to a busy machine).
            var timed = (phase.Epochs.Count > 1 ? phase.Epochs.Skip(1) : phase.Epochs).Select(e => e.Duration).Order().ToList();
            return timed[timed.Count / 2];
        }

        var recompute = Run(cache: false, out _);
        var cached = Run(cache: true, out var build);
        return (recompute, cached, build, recompute / cached);
    }

    // A small VGG-like base (four conv stages) and a linear head: enough work in the base to make caching matter.
    private static Network Base(int size) => new("bench_cnn",
        ("conv1", nn.Conv2d(3, 32, 3, padding: 1)), ("bn1", nn.BatchNorm2d(32)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(32, 64, 3, padding: 1)), ("bn2", nn.BatchNorm2d(64)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
        ("conv3", nn.Conv2d(64, 128, 3, padding: 1)), ("bn3", nn.BatchNorm2d(128)), ("relu3", nn.ReLU()), ("pool3", nn.MaxPool2d(2)),
        ("conv4", nn.Conv2d(128, 256, 3, padding: 1)), ("bn4", nn.BatchNorm2d(256)), ("relu4", nn.ReLU()),
        ("pool4", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()),
        ("fc", nn.Linear(256, 10)));
}
