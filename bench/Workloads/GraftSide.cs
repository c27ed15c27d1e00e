using System.Diagnostics;
using Graft.Bench.DataPipeline;
using Graft.Data;
using Graft.Layers;
using Graft.Models;
using Graft.Native;
using Graft.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Bench.Workloads;

/// <summary>
/// Graft's side of every workload, written the way a user writes it: <see cref="Zoo.Create"/>, the layer vocabulary
/// (<c>BaseLayers.Freeze()</c>, <c>UnfreezeTop(1)</c>), <see cref="Learner"/> for training and the documented
/// inference loop (no-grad, a DisposeScope per batch). No layout, allocator or thread tricks here: what Graft
/// does by default is what is measured. Runs in its own worker process, one workload per process.
/// </summary>
public static class GraftSide
{
    /// <summary>Measures <paramref name="workload"/>.</summary>
    public static Measurement Run(string workload, BenchSizes sizes, int threads, string? folder)
    {
        Compute.SetThreads(threads);
        Compute.Seed(0);
        string[] parts = workload.Split('-', 2);
        return parts[0] switch
        {
            "infer" => Measurement(Inference(parts[1], sizes)),
            "finetune" or "head" or "partial" => Measurement(TrainingStep(parts[1], parts[0], sizes)),
            "cached" => CachedHead(sizes),
            "memory" => Memory(sizes),
            "roof" => Roof(sizes),
            "data" => Pipeline(folder ?? throw new ArgumentException("data-pipeline needs --folder."), sizes),
            _ => throw new ArgumentException($"Unknown workload '{workload}'."),
        };
    }

    private static Measurement Measurement(double value) => new(value, new Dictionary<string, double>());

    /// <summary>Images per second of eval forward passes at the run's batch, after warm-up.</summary>
    private static double Inference(string arch, BenchSizes sizes)
    {
        using var network = Zoo.Create(arch);
        network.eval();
        using var x = rand(sizes.Batch, 3, sizes.Image, sizes.Image);
        var times = new List<double>();
        for (int i = 0; i < sizes.Warmup + sizes.Steps; i++)
        {
            var clock = Stopwatch.StartNew();
            using (no_grad())
            using (NewDisposeScope())
            {
                using var logits = network.call(x);
                _ = logits.sum().item<float>();
            }
            if (i >= sizes.Warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        return sizes.Batch / Median(times);
    }

    /// <summary>Images per second of training steps through <see cref="Learner"/> (AdamW, its default), after warm-up.</summary>
    private static double TrainingStep(string arch, string mode, BenchSizes sizes)
    {
        using var network = Zoo.Create(arch, numClasses: 10);
        if (mode != "finetune") network.BaseLayers.Freeze();
        if (mode == "partial") network.UnfreezeTop(1);
        return sizes.Batch / MedianStepSeconds(network, sizes.Batch, sizes.Image, sizes.Warmup, sizes.Steps);
    }

    /// <summary>Median seconds per step of one <see cref="Learner.Fit(int, CancellationToken)"/> epoch over random images.</summary>
    private static double MedianStepSeconds(Network network, int batch, int image, int warmup, int steps)
    {
        int n = batch * (warmup + steps);
        using var x = rand(n, 3, image, image);
        using var y = randint(0, 10, n);
        var source = new TensorBatchSource(x, y, batch, shuffle: false);
        using var learner = new Learner(network, source);
        var clock = new Stopwatch();
        var times = new List<double>();
        learner.EpochStarted += (_, _) => clock.Restart();
        learner.StepEnded += (_, _) =>
        {
            times.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
        };
        learner.Fit(1);
        return Median(times.Skip(warmup).ToList());
    }

    /// <summary>
    /// Vectors per second of one head-training epoch over cached ResNet-18 features (what feature extraction with a
    /// cache trains on), against the same epoch recomputing the frozen base for every batch (timed over a few steps
    /// and scaled to the epoch).
    /// </summary>
    private static Measurement CachedHead(BenchSizes sizes)
    {
        int n = sizes.CachedVectors;
        using var features = randn(n, 512);
        using var labels = randint(0, 10, n);
        using var head = new Network("head", ("fc", nn.Linear(512, 10)));
        var cached = new TensorBatchSource(features, labels, sizes.Batch, seed: 1);
        using var learner = new Learner(head, cached);
        // One epoch is ~70 ms, and a garbage collection inside it can add half again: the first epoch warms up, the
        // median of the next five is the figure (the peer does the same).
        var phase = learner.Fit(6);
        double cachedSeconds = Median(phase.Epochs.Skip(1).Select(e => e.Duration.TotalSeconds).ToList());

        using var network = Zoo.Create("resnet18", numClasses: 10);
        network.BaseLayers.Freeze();
        double step = MedianStepSeconds(network, sizes.Batch, sizes.Image, warmup: 1, steps: sizes.RecomputeSteps);
        double recomputeSeconds = step * Math.Ceiling(n / (double)sizes.Batch);
        return new Measurement(n / cachedSeconds, new Dictionary<string, double>
        {
            ["cached_epoch_s"] = cachedSeconds,
            ["recompute_epoch_s"] = recomputeSeconds,
            ["speedup"] = recomputeSeconds / cachedSeconds,
        });
    }

    /// <summary>Peak resident memory (VmHWM) of this fresh process after ResNet-50 fine-tuning steps.</summary>
    private static Measurement Memory(BenchSizes sizes)
    {
        using var network = Zoo.Create("resnet50", numClasses: 10);
        double step = MedianStepSeconds(network, sizes.MemoryBatch, sizes.MemoryImage, warmup: 0, steps: sizes.MemorySteps);
        return new Measurement(PeakResidentMiB(), new Dictionary<string, double> { ["step_s"] = step });
    }

    /// <summary>VmHWM of this process in MiB.</summary>
    public static double PeakResidentMiB()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>
    /// ResNet-18 inference GFLOP/s, with the roofs measured in the same process: a square matmul and a channels-last
    /// 3x3 convolution (plain libtorch calls; the model is Graft's default path). The report divides by the best
    /// convolution roof any side measured.
    /// </summary>
    private static Measurement Roof(BenchSizes sizes)
    {
        int m = sizes.MatmulSize;
        using var a = randn(m, m);
        using var b = randn(m, m);
        double matmul = 2.0 * m * m * m / 1e9 / Timed(() => { using var c = a.matmul(b); });

        int ch = sizes.ConvChannels, hw = sizes.ConvSpatial, nb = sizes.ConvBatch;
        using var xs = randn(nb, ch, hw, hw);
        using var ws = randn(ch, ch, 3, 3);
        using var xc = MemoryFormat.ToChannelsLast(xs);
        using var wc = MemoryFormat.ToChannelsLast(ws);
        double conv;
        using (no_grad()) conv = 2.0 * nb * hw * hw * ch * ch * 9 / 1e9 / Timed(() => { using var o = nn.functional.conv2d(xc, wc, padding: [1, 1]); });

        double imagesPerSecond = Inference("resnet18", sizes);
        double achieved = imagesPerSecond * 2 * BenchSizes.ResNet18MultiplyAdds(sizes.Image) / 1e9;
        return new Measurement(achieved, new Dictionary<string, double>
        {
            ["gflops"] = achieved,
            ["matmul_roof_gflops"] = matmul,
            ["conv_roof_gflops"] = conv,
            ["img_per_s"] = imagesPerSecond,
        });
    }

    private static Measurement Pipeline(string folder, BenchSizes sizes)
    {
        var settings = new DataPipelineSettings(BatchSize: 32, Workers: sizes.PipelineWorkers, Epochs: sizes.PipelineEpochs);
        var rate = DataPipelineBenchmark.MeasureGraft(folder, settings);
        return new Measurement(rate.ImagesPerSecond, new Dictionary<string, double> { ["cpu_ms_per_image"] = rate.CpuMillisecondsPerImage });
    }

    /// <summary>Median seconds of three timed calls after one warm-up call.</summary>
    private static double Timed(Action action)
    {
        action();
        var times = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using (NewDisposeScope()) action();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return Median(times);
    }

    /// <summary>The median (mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values to take the median of.", nameof(values));
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
