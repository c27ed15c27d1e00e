using System.Text.Json;
using Graft.Tests.Reports;

namespace Graft.Tests.Cli;

/// <summary><c>graft compare</c>: the three strategies on the same k-shot samples, one table and a chart.</summary>
[Collection("Cli")]
public class CompareTests(CliFixture data)
{
    [Fact]
    public void CompareRunsEveryStrategyShotCountAndSeedAndWritesTheTableAndChart()
    {
        string folder = data.NewFolder("compare");
        var result = CliRunner.Run("compare", "--data", data.Shapes, "--model", "resnet_mini", "--weights", data.BaseModel,
            "--shots", "3,8", "--seeds", "2", "--epochs", "2", "--fine-tune-epochs", "1", "--batch-size", "16", "--out", folder, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal(["scratch", "feature-extraction", "fine-tune"], rows.Select(r => r.GetProperty("strategy").GetString()).Distinct());
        Assert.All(rows, r =>
        {
            Assert.Equal(2, r.GetProperty("runs").GetInt32());
            Assert.InRange(r.GetProperty("mean").GetDouble(), 0, 1);
        });
        Assert.Equal(387, rows.First(r => r.GetProperty("strategy").GetString() == "feature-extraction").GetProperty("trainableParameters").GetInt64());
        Assert.Equal(12, json.RootElement.GetProperty("runs").GetArrayLength());

        ReportsTests.AssertRealPng(Path.Combine(folder, "accuracy-vs-shots.png"), 800, 500);
        ReportsTests.AssertRealPng(Path.Combine(folder, "confusion.png"), 500, 500);
        Assert.Equal(13, File.ReadAllLines(Path.Combine(folder, "runs.csv")).Length);
        Assert.StartsWith("strategy,shots,seed,phase,epoch", File.ReadLines(Path.Combine(folder, "metrics.csv")).First(), StringComparison.Ordinal);
        string report = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.Contains("± ", report, StringComparison.Ordinal);
        Assert.Contains("![test accuracy against labelled images per class", report, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreShotsThanAClassHasIsRefusedBeforeTraining()
    {
        var result = CliRunner.Run("compare", "--data", data.Shapes, "--model", "resnet_mini", "--weights", "none", "--shots", "5,50",
            "--seeds", "1", "--out", data.NewFolder("compare-too-many"));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("50 shots need 50 per class", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("[1/", result.Error, StringComparison.Ordinal);
    }
}
