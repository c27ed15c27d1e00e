using System.Text.Json;
using Graft.Tests.Reports;

namespace Graft.Tests.Cli;

[Collection("Demo")]
public class DemoCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graft-demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void DemoRunsOfflineAndTransferPaysAtFiveAndTwentyShots()
    {
        // Offline, with an empty GRAFT_HOME: the shipped base, and the target images from the shipped subset or (where
        // installed) the full dataset, which give the same images (DemoDataTests). k = 5 and 20 (where the issue asks
        // that both transfer strategies beat training from scratch), the default 3 seeds.
        var environment = new Dictionary<string, string> { ["GRAFT_OFFLINE"] = "1", ["GRAFT_HOME"] = Path.Combine(_folder, "home") };
        string output = Path.Combine(_folder, "run");
        var result = CliRunner.Run(TimeSpan.FromMinutes(20), environment, "demo", "--shots", "5,20", "--json", "--out", output);
        Assert.True(result.ExitCode == 0, result.ToString());

        var rows = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(6, rows.Count);
        double Mean(string strategy, int k) => rows.Single(r => r.GetProperty("strategy").GetString() == strategy && r.GetProperty("k").GetInt32() == k)
            .GetProperty("mean").GetDouble();
        foreach (int k in new[] { 5, 20 })
        {
            Assert.True(Mean("feature-extraction", k) > Mean("scratch", k), $"k={k}: feature extraction {Mean("feature-extraction", k)} vs scratch {Mean("scratch", k)}\n{result}");
            Assert.True(Mean("fine-tune", k) > Mean("scratch", k), $"k={k}: fine-tune {Mean("fine-tune", k)} vs scratch {Mean("scratch", k)}\n{result}");
        }
        Assert.All(rows, r => Assert.InRange(r.GetProperty("std").GetDouble(), 0, 0.2));

        foreach (var png in new[] { "accuracy-vs-k.png", "learning-curves.png", "confusion-best.png" })
            ReportsTests.AssertRealPng(Path.Combine(output, png), 500, 400);
        string report = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("![accuracy vs k](accuracy-vs-k.png)", report);
        Assert.Equal(1 + 18, File.ReadAllLines(Path.Combine(output, "runs.csv")).Length);
    }

    [Fact]
    public void DemoRefusesADataFolderWithoutTheDataset()
    {
        // A typo in --data must not fall back silently to another copy of the dataset.
        var missing = CliRunner.Run("demo", "--data", Path.Combine(_folder, "no-such-folder"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
        var empty = CliRunner.Run("demo", "--data", _folder);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("does not hold Fashion-MNIST's four files (train-images-idx3-ubyte.gz", empty.Error);
    }

    [Fact]
    public void DemoRefusesBadShotsWithUsageExitCode()
    {
        var result = CliRunner.Run("demo", "--shots", "5,abc");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--shots takes whole numbers", result.Error);
    }
}
