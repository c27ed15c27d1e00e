using System.Globalization;
using Graft.Bench.DataPipeline;

// Data-pipeline benchmark: Graft's loader vs torchvision's on the same generated JPEGs.
// Usage: DataPipelineBench [--images N] [--width W] [--height H] [--workers N] [--epochs N] [--repeat N] [--peer path]
var arguments = ParseArguments(args);
int images = Get("images", 500), width = Get("width", 500), height = Get("height", 375), repeat = Get("repeat", 2);
var settings = new DataPipelineSettings(BatchSize: Get("batch", 32), Workers: Get("workers", 2), Epochs: Get("epochs", 2));
string peer = arguments.GetValueOrDefault("peer") ?? FindPeerScript();

string folder = Path.Combine(Path.GetTempPath(), $"graft-bench-{Guid.NewGuid():N}");
try
{
    string loadAtStart = LoadAverage();
    Console.WriteLine($"Generating {images} JPEGs of {width}x{height} in {folder} …");
    BenchImages.Generate(folder, images, width, height);
    Console.WriteLine($"Pipeline: RandomResizedCrop({settings.Size}) + flip + rotation ±{settings.Rotation}° + ColorJitter({settings.Jitter}) + normalise; " +
                      $"batch {settings.BatchSize}, {settings.Workers} workers, {settings.Epochs} timed epochs after a warm-up; best of {repeat}.");
    var graftRuns = new List<PipelineRate>();
    var peerRuns = new List<PipelineRate>();
    for (int r = 0; r < repeat; r++)
    {
        graftRuns.Add(DataPipelineBenchmark.MeasureGraft(folder, settings));
        peerRuns.Add(DataPipelineBenchmark.MeasureTorchvision(folder, settings, peer));
        Console.WriteLine($"  run {r + 1}: Graft {graftRuns[^1].ImagesPerSecond:F1} images/s ({graftRuns[^1].CpuMillisecondsPerImage:F2} CPU ms/image), " +
                          $"torchvision {peerRuns[^1].ImagesPerSecond:F1} images/s ({peerRuns[^1].CpuMillisecondsPerImage:F2} CPU ms/image)");
    }
    // Wall-clock: best run of each (least disturbed by other load). CPU: median run of each.
    PipelineRate graft = graftRuns.MaxBy(g => g.ImagesPerSecond)!, torchvision = peerRuns.MaxBy(t => t.ImagesPerSecond)!;
    double graftCpu = Median(graftRuns.Select(g => g.CpuMillisecondsPerImage)), peerCpu = Median(peerRuns.Select(t => t.CpuMillisecondsPerImage));
    Console.WriteLine($"JPEG decoder: {Graft.Data.ImageDecoder.JpegDecoder}; load average at start {loadAtStart}, at end {LoadAverage()}");
    Console.WriteLine($"Graft:       {graft.ImagesPerSecond,8:F1} images/s   {graftCpu,6:F2} CPU ms/image");
    Console.WriteLine($"torchvision: {torchvision.ImagesPerSecond,8:F1} images/s   {peerCpu,6:F2} CPU ms/image");
    Console.WriteLine($"Ratio:       {graft.ImagesPerSecond / torchvision.ImagesPerSecond,8:F2}x wall   {peerCpu / graftCpu,6:F2}x CPU (goal >= 1.5x)");
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static double Median(IEnumerable<double> values)
{
    double[] sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

int Get(string name, int fallback) =>
    arguments.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>();
    for (int i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--")) throw new ArgumentException($"Expected --name value pairs; got '{args[i]}'.");
        result[args[i][2..]] = args[i + 1];
    }
    return result;
}

static string FindPeerScript()
{
    for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
    {
        string candidate = Path.Combine(dir, "bench", "data_pipeline_peer.py");
        if (File.Exists(candidate)) return candidate;
    }
    throw new FileNotFoundException("bench/data_pipeline_peer.py not found above the program's folder; pass --peer PATH.");
}
