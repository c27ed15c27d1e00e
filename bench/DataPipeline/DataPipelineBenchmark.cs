using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Graft.Data;
using Graft.Data.Transforms;

namespace Graft.Bench.DataPipeline;

/// <summary>The augmentation both sides run: random resized crop to 224, flip, rotation ±15° (bilinear), colour jitter 0.4.</summary>
public sealed record DataPipelineSettings(int BatchSize = 32, int Workers = 2, int Epochs = 2, int Size = 224, double Rotation = 15, double Jitter = 0.4);

/// <summary>One measurement: wall time and the CPU time all threads and worker processes used.</summary>
public sealed record PipelineRate(string Name, int Images, double Seconds, double CpuSeconds)
{
    /// <summary>Images per second of wall time (what a training loop sees on an otherwise idle machine).</summary>
    public double ImagesPerSecond => Images / Seconds;

    /// <summary>CPU milliseconds per image, summed over threads and processes (stable on a shared machine).</summary>
    public double CpuMillisecondsPerImage => CpuSeconds * 1000 / Images;
}

/// <summary>
/// Measures Graft's loader and torchvision's DataLoader on the same JPEG folder with the same augmentation, each
/// after a warm-up epoch, timing whole epochs that end in batch tensors (N × 3 × 224 × 224, normalised).
/// </summary>
public static class DataPipelineBenchmark
{
    /// <summary>Graft: <see cref="ImageFolder"/> + <see cref="DataLoader"/> with the settings' workers.</summary>
    public static PipelineRate MeasureGraft(string folder, DataPipelineSettings settings)
    {
        var source = ImageFolder.Open(folder);
        var pipeline = new ImagePipeline(
            [
                new RandomResizedCrop(settings.Size), new RandomHorizontalFlip(), new RandomRotation(settings.Rotation),
                new ColorJitter(settings.Jitter, settings.Jitter, settings.Jitter),
            ],
            OutputFormat.ImageNet);
        var loader = new DataLoader(source, pipeline, new LoaderOptions { BatchSize = settings.BatchSize, Workers = settings.Workers, Seed = 1 });
        Drain(loader, 0); // warm-up: JIT, thread start, file cache
        using var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        int images = 0;
        for (int epoch = 1; epoch <= settings.Epochs; epoch++) images += Drain(loader, epoch);
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new PipelineRate("Graft", images, seconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>torchvision: runs <c>data_pipeline_peer.py</c> with Debian's Python and reads its JSON line.</summary>
    /// <exception cref="InvalidOperationException">When Python or torchvision is missing (the message says what to install).</exception>
    public static PipelineRate MeasureTorchvision(string folder, DataPipelineSettings settings, string peerScript, string python = "/usr/bin/python3")
    {
        if (!File.Exists(python)) throw new InvalidOperationException($"{python} is missing; install 'apt-get install -y python3-torchvision'.");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
                 {
                     peerScript, folder, "--batch", settings.BatchSize.ToString(CultureInfo.InvariantCulture),
                     "--workers", settings.Workers.ToString(CultureInfo.InvariantCulture),
                     "--epochs", settings.Epochs.ToString(CultureInfo.InvariantCulture),
                     "--size", settings.Size.ToString(CultureInfo.InvariantCulture),
                     "--rotation", settings.Rotation.ToString(CultureInfo.InvariantCulture),
                     "--jitter", settings.Jitter.ToString(CultureInfo.InvariantCulture),
                 })
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The torchvision peer failed (exit {process.ExitCode}); is python3-torchvision installed?\n{stderr.Result}");
        string json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        using JsonDocument result = JsonDocument.Parse(json);
        JsonElement root = result.RootElement;
        return new PipelineRate("torchvision", root.GetProperty("images").GetInt32(), root.GetProperty("seconds").GetDouble(),
            root.GetProperty("cpu_seconds").GetDouble());
    }

    private static int Drain(DataLoader loader, int epoch)
    {
        int images = 0;
        foreach (Batch batch in loader.Epoch(epoch))
            using (batch) images += batch.Count;
        return images;
    }
}
