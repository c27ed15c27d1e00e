using System.Text.RegularExpressions;
using Graft.Bench;
using Graft.Bench.Workloads;

namespace Graft.Tests.Bench;

/// <summary>The quick bench run starts worker processes that use both cores: it runs alone, not alongside other tests.</summary>
[CollectionDefinition("Bench", DisableParallelization = true)]
public sealed class BenchCollection;

/// <summary>The benchmark runner (bench/): its report, and a quick end-to-end run against the PyTorch twin.</summary>
[Collection("Bench")]
public class BenchRunnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bench-runner-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Regex RatioCells = new(@"\| \d+\.\d\dx \| \d+\.\d\dx \|$", RegexOptions.Multiline);

    private static Measurement M(double value, params (string, double)[] extra) => new(value, extra.ToDictionary(e => e.Item1, e => e.Item2));

    [Fact]
    public void ReportHasTheTableRatiosAndGoals()
    {
        var infer = WorkloadCatalog.Select("infer-resnet18")[0];
        var memory = WorkloadCatalog.Select("memory-resnet50")[0];
        var results = new[]
        {
            new WorkloadResult(infer, M(80), M(40), M(64), 3),
            new WorkloadResult(memory, M(1000), M(1500), M(2000), 3),
        };
        var machine = new MachineInfo("Test CPU", 2, 8, "10.0", "0.107.0", "2.10.0", "1.13.0", "0.14.1");
        string md = ResultsReport.Render(machine, 2, quick: false, results, new DateTime(2026, 1, 2));

        Assert.Contains("| workload | Graft | PyTorch (user) | PyTorch (tuned) | ratio vs user | ratio vs tuned |", md);
        Assert.Contains("| 80.0 img/s | 40.0 img/s | 64.0 img/s | 2.00x | 1.25x |", md);
        // Memory: lower is better, so the ratio is PyTorch / Graft.
        Assert.Contains("| 1000 MiB | 1500 MiB | 2000 MiB | 1.50x | 2.00x |", md);
        Assert.Contains("Every workload ≥ 1.1x tuned PyTorch and ≥ 1.5x PyTorch as a user runs it: **met**", md);
        Assert.Contains("ResNet-50 fine-tuning peak memory ≤ PyTorch's: **met**", md);
        Assert.Contains("Test CPU, 2 cores", md);
        Assert.Contains("torch 1.13.0, torchvision 0.14.1", md);
    }

    [Fact]
    public void UnknownWorkloadNamesAreRejectedWithTheList()
    {
        var e = Assert.Throws<ArgumentException>(() => WorkloadCatalog.Select("infer-resnet18,nope"));
        Assert.Contains("nope", e.Message);
        Assert.Contains("memory-resnet50", e.Message);
    }

    [Fact]
    public void QuickRunWritesTheReportWithMeasuredRatios()
    {
        string output = Path.Combine(_folder, "latest.md");
        var log = new StringWriter();
        int exit = BenchCommand.Run(["infer-resnet18,cached-head", "--quick", "--out", output], log);

        Assert.True(exit == 0, log.ToString());
        string md = File.ReadAllText(output);
        Assert.Contains("| workload | Graft | PyTorch (user) | PyTorch (tuned) | ratio vs user | ratio vs tuned |", md);
        Assert.Contains("Quick mode", md);
        Assert.Equal(2, RatioCells.Matches(md).Count);
        Assert.Matches(@"Cached-feature head epoch ≥ 50x faster than recomputing: \*\*(met|not met)\*\* \(\d+x", md);
        Assert.DoesNotContain("NaN", md);
    }
}
