using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Graft.Tests.Reports;
using Graft.Training;
using Graft.Weights;

namespace Graft.Tests.Cli;

/// <summary><c>graft train</c> with each strategy, then <c>evaluate</c> and <c>predict</c> on what it saved, driven as a user would.</summary>
[Collection("Cli")]
public class TrainTests(CliFixture data)
{
    /// <summary>The files every finished training run promises, checked for content.</summary>
    private static void AssertRunFolder(string folder, string[] phases, int classes)
    {
        var info = SavedModel.ReadInfo(Path.Combine(folder, "model.safetensors"));
        Assert.Equal("resnet_mini", info.Architecture);
        Assert.Equal(CliFixture.Classes.Take(classes), info.ClassNames);
        Assert.Equal(1, info.InputChannels);
        Assert.Contains("\"mean\":[0.5]", info.Preprocessing, StringComparison.Ordinal);

        string[] metrics = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        Assert.StartsWith("phase,epoch,run_epoch,loss,accuracy", metrics[0], StringComparison.Ordinal);
        Assert.Equal(phases, metrics.Skip(1).Select(l => l.Split(',')[0]).Distinct());
        string report = File.ReadAllText(Path.Combine(folder, "report.md"));
        foreach (string section in new[] { "## Training history", "## Validation", "## Per class", "## Confusion matrix", "](loss.png)", "](accuracy.png)", "![confusion matrix](confusion.png)" })
            Assert.Contains(section, report, StringComparison.Ordinal);
        ReportsTests.AssertRealPng(Path.Combine(folder, "loss.png"), 800, 500);
        ReportsTests.AssertRealPng(Path.Combine(folder, "accuracy.png"), 800, 500);
        ReportsTests.AssertRealPng(Path.Combine(folder, "confusion.png"), 500, 500);
        Assert.False(File.Exists(Path.Combine(folder, "checkpoint.safetensors")), "a finished run removes its checkpoint");
    }

    [Fact]
    public void ScratchTrainingWritesTheModelMetricsChartsAndReport()
    {
        var result = data.BaseTraining;
        Assert.True(result.ExitCode == 0, result.ToString());
        AssertRunFolder(data.BaseRun, ["scratch"], 3);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(data.BaseRun, "metrics.csv")).Length); // header + 4 epochs
        Assert.Contains("scratch epoch 4/4:", result.Error, StringComparison.Ordinal);       // progress lines, off a terminal
        Assert.Contains("val_accuracy", result.Output, StringComparison.Ordinal);            // the final table
        var losses = File.ReadAllLines(Path.Combine(data.BaseRun, "metrics.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses[^1] < losses[0], $"training loss should fall: {string.Join(", ", losses)}");
    }

    [Fact]
    public void FeatureExtractionFromALocalWeightFileTrainsOnlyTheHead()
    {
        string folder = data.NewFolder("features");
        var result = CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet_mini", "--weights", data.BaseModel,
            "--strategy", "feature-extraction", "--epochs", "3", "--lr", "0.01", "--out", folder, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertRunFolder(folder, ["head"], 3);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("feature-extraction", json.RootElement.GetProperty("strategy").GetString());
        var phase = json.RootElement.GetProperty("phases")[0];
        Assert.Equal(3, phase.GetProperty("epochs").GetInt32());
        Assert.InRange(json.RootElement.GetProperty("validation").GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.DoesNotContain("epoch 1/3", result.Error, StringComparison.Ordinal); // --json: no progress

        using var before = SafeTensors.Read(data.BaseModel);
        using var after = SafeTensors.Read(Path.Combine(folder, "model.safetensors"));
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (string key in before.Keys)
        {
            bool same = before[key].equal(after[key]).all().item<bool>();
            Assert.True(key.StartsWith("fc.", StringComparison.Ordinal) ? !same : same, $"{key} {(same ? "did not change" : "changed")}");
        }
    }

    [Fact]
    public void FineTuningRecordsBothPhasesWithAugmentationAndASmallerUnfrozenTop()
    {
        string folder = data.NewFolder("finetune");
        var result = CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet_mini", "--weights", data.BaseModel,
            "--strategy", "fine-tune", "--epochs", "2", "--fine-tune-epochs", "2", "--unfreeze-top", "1", "--fine-tune-lr", "0.0003",
            "--augment", "flip,rotate=0.05,zoom=0.1", "--batch-size", "16", "--out", folder);

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertRunFolder(folder, ["head", "fine-tune"], 3);
        Assert.Contains("Phase 'fine-tune': unfreeze the top 1 base layers; head at 0.0003", result.Error, StringComparison.Ordinal);
        // layer3 (230,144) + fc (387) train in phase 2.
        Assert.Contains("230,531 trainable parameters", result.Error, StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["1", "2", "3", "4"], rows.Select(r => r[2]));
        Assert.Equal("0.0003", rows[^1][^3]); // the fine-tuning phase's learning rate
    }

    [Fact]
    public void RegressionFromACsvManifestPredictsValues()
    {
        string folder = data.NewFolder("regression");
        var train = CliRunner.Run("train", "--data", data.Regression, "--task", "regression", "--model", "resnet_mini", "--weights", "none",
            "--epochs", "2", "--batch-size", "16", "--out", folder);
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.StartsWith("phase,epoch,run_epoch,loss,mae,rmse,r2", File.ReadLines(Path.Combine(folder, "metrics.csv")).First(), StringComparison.Ordinal);
        ReportsTests.AssertRealPng(Path.Combine(folder, "mae.png"), 800, 500);
        Assert.Equal("regression", SavedModel.ReadInfo(Path.Combine(folder, "model.safetensors")).Task.Kind);

        var predict = CliRunner.Run("predict", "--model", Path.Combine(folder, "model.safetensors"), "--json",
            Path.Combine(data.Shapes, "circle", "00.png"));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var json = JsonDocument.Parse(predict.Output);
        Assert.Equal(1, json.RootElement[0].GetProperty("values").GetArrayLength());
    }

    [Fact]
    public void EvaluateScoresASavedModelPerClassWithAConfusionMatrix()
    {
        string folder = data.NewFolder("evaluate");
        var result = CliRunner.Run("evaluate", "--model", data.BaseModel, "--data", data.Shapes, "--out", folder);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string name in CliFixture.Classes) Assert.Contains(name, result.Output, StringComparison.Ordinal);
        Assert.Contains("precision", result.Output, StringComparison.Ordinal);
        ReportsTests.AssertRealPng(Path.Combine(folder, "confusion.png"), 500, 500);
        string metrics = File.ReadAllText(Path.Combine(folder, "metrics.csv"));
        Assert.Contains($"samples,{3 * CliFixture.PerClass}", metrics, StringComparison.Ordinal);
        Assert.Contains("## Confusion matrix", File.ReadAllText(Path.Combine(folder, "report.md")), StringComparison.Ordinal);

        var quiet = CliRunner.Run("evaluate", "--model", data.BaseModel, "--data", data.Shapes, "--out", folder, "--quiet");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Equal("", quiet.Error);                                       // no notes
        Assert.Contains("macro_f1", quiet.Output, StringComparison.Ordinal); // the results

        var json = CliRunner.Run("evaluate", "--model", data.BaseModel, "--data", data.Shapes, "--out", folder, "--json");
        using var document = JsonDocument.Parse(json.Output);
        var confusion = document.RootElement.GetProperty("confusion");
        Assert.Equal(3 * CliFixture.PerClass, confusion.EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt64()));
        double accuracy = document.RootElement.GetProperty("scores").GetProperty("accuracy").GetDouble();
        long diagonal = Enumerable.Range(0, 3).Sum(i => confusion[i][i].GetInt64());
        Assert.Equal(diagonal / (double)(3 * CliFixture.PerClass), accuracy, 6);
    }

    [Fact]
    public void PredictGivesTopKLabelsForFilesAndFolders()
    {
        var result = CliRunner.Run("predict", "--model", data.BaseModel, "--top", "2", "--json",
            Path.Combine(data.Shapes, "square", "01.png"), Path.Combine(data.Shapes, "triangle"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var predictions = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(1 + CliFixture.PerClass, predictions.Count);
        Assert.All(predictions, p =>
        {
            var labels = p.GetProperty("labels").EnumerateArray().ToList();
            Assert.Equal(2, labels.Count);
            Assert.Contains(labels[0].GetProperty("label").GetString(), CliFixture.Classes);
            Assert.True(labels[0].GetProperty("probability").GetDouble() >= labels[1].GetProperty("probability").GetDouble());
        });

        var table = CliRunner.Run("predict", "--model", data.BaseModel, Path.Combine(data.Shapes, "circle", "00.png"));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("probability", table.Output, StringComparison.Ordinal);
        Assert.Contains("00.png", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictWithAZooNameUsesImageNetCategories()
    {
        var result = CliRunner.Run("predict", "--model", "mobilenet_v3_small", "--weights", data.MobileNetWeights, "--top", "5", "--json",
            Path.Combine(data.Shapes, "circle", "00.png"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var labels = json.RootElement[0].GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("label").GetString()).ToList();
        Assert.Equal(5, labels.Count);
        Assert.All(labels, l => Assert.Contains(l, Graft.Models.ImageNetCategories.All));
    }

    [Fact]
    public async Task CtrlCStopsAfterTheCurrentStepLeavesACheckpointAndResumeFinishes()
    {
        string folder = data.NewFolder("interrupted");
        string[] args = ["train", "--data", data.Shapes, "--model", "resnet_mini", "--weights", "none", "--epochs", "6", "--batch-size", "8",
            "--image-size", "40", "--out", folder];
        using var process = CliRunner.Start(null, args);
        var error = new System.Text.StringBuilder();
        using var firstEpoch = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (error) error.AppendLine(e.Data);
            if (e.Data.Contains("epoch 1/6:", StringComparison.Ordinal)) firstEpoch.Set();
        };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEndAsync();
        Assert.True(firstEpoch.Wait(TimeSpan.FromMinutes(2)), $"the first epoch did not end: {error}");
        // Ctrl+C is SIGINT. A process started from a background job inherits SIGINT as ignored (bash does that to
        // background jobs, and .NET keeps an inherited SIG_IGN for SIGINT), so there SIGTERM, which graft handles the
        // same way, stands in for it.
        string signal = SigIntIgnored(process.Id) ? "-TERM" : "-INT";
        using (var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "graft did not stop after SIGINT");
        process.WaitForExit();
        string stderr;
        lock (error) stderr = error.ToString();

        string stdout = await output;
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.Contains("Stopping after the current step", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "checkpoint.safetensors")), stderr);
        Assert.False(File.Exists(Path.Combine(folder, "model.safetensors")));
        string hint = stderr.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("graft train ", StringComparison.Ordinal));
        Assert.EndsWith("--resume", hint, StringComparison.Ordinal);
        Assert.Contains($"--out {folder}", hint, StringComparison.Ordinal);

        // Resume with exactly the printed command.
        string[] resumeArgs = hint["graft ".Length..].Split(' ');
        var resumed = CliRunner.Run(resumeArgs);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Resuming from", resumed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/6:", resumed.Error, StringComparison.Ordinal); // epoch 1 came from the checkpoint
        AssertRunFolder(folder, ["scratch"], 3);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Length); // header + the 6 epochs, none twice
    }

    private static bool SigIntIgnored(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        ulong mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << 1)) != 0; // bit n-1 stands for signal n; SIGINT is 2
    }
}
