using System.Text.Json;
using Graft.Tests.Text;
using Graft.Text;

namespace Graft.Tests.Cli;

/// <summary><c>graft train-text</c> run as a user runs it, on files the test writes (<see cref="TopicCorpus"/>).</summary>
public sealed class TrainTextCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TopicCorpus _corpus = new();
    private readonly string _data;
    private readonly string _vectors;

    public TrainTextCommandTests()
    {
        _data = TopicCorpus.WriteCsv(_folder.File("topics.csv"), _corpus.Texts(32, seed: 21));
        _vectors = _corpus.WriteVectors(_folder.File("topics.glove.txt"));
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The verb on the test's files, then <paramref name="extra"/> (an option given there replaces the default).</summary>
    private string[] Args(params string[] extra)
    {
        string[] defaults = ["--data", _data, "--text-column", "body", "--label-column", "topic", "--vectors", _vectors];
        var args = new List<string> { "train-text" };
        for (int i = 0; i < defaults.Length; i += 2)
            if (!extra.Contains(defaults[i])) args.AddRange([defaults[i], defaults[i + 1]]);
        return [.. args, .. extra];
    }

    [Fact]
    public void FineTuningWritesARunFolderWhoseModelPredictsOnItsOwn()
    {
        string run = _folder.File("run");
        var result = CliRunner.Run(Args("--strategy", "fine-tune", "--epochs", "15", "--fine-tune-epochs", "3", "--lr", "0.02",
            "--max-length", "12", "--seed", "3", "--out", run));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Vectors cover", result.Error);                  // coverage reported
        Assert.Contains("kept the", result.Error);                        // only the vocabulary's vectors loaded
        Assert.Contains("head epoch 1/15", result.Error);                 // progress of both phases
        Assert.Contains("fine-tune epoch 3/3", result.Error);
        Assert.Contains("Validation", result.Output);                     // the metrics tables
        Assert.Contains("accuracy", result.Output);
        Assert.All(new[] { "model.safetensors", "metrics.csv", "report.md", "accuracy.png", "loss.png", "confusion.png" },
            file => Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing from the run folder\n{result}"));

        string[] metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.StartsWith("phase,epoch,run_epoch,loss,accuracy", metrics[0]);
        Assert.Contains("val_accuracy", metrics[0]);
        Assert.Contains(metrics, line => line.Split(',')[0] == "head");
        Assert.Equal(3, metrics.Count(line => line.Split(',')[0] == "fine-tune"));
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("Vectors cover", report);
        Assert.Contains("## Validation", report);

        using var model = TextModel.Load(Path.Combine(run, "model.safetensors"));
        Assert.Equal(TopicCorpus.Topics, model.Classes);
        Assert.Equal(12, model.Encoder.MaxLength);
        var test = _corpus.Texts(25, seed: 22);
        double accuracy = model.Predict(test.Texts).Zip(test.Labels).Average(p => p.First.Best.Index == p.Second ? 1.0 : 0.0);
        Assert.True(accuracy > 0.6, $"the saved model classifies {accuracy:F3} of 100 new texts correctly; expected well above chance (0.25)");

        // graft predict on texts: --text and a file with one text per line give the library's labels.
        string lines = _folder.File("texts.txt");
        File.WriteAllLines(lines, test.Texts.Skip(1).Take(3));
        var predicted = CliRunner.Run("predict", "--model", Path.Combine(run, "model.safetensors"), "--top", "2", "--json",
            "--text", test.Texts[0], lines);
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        using var rows = JsonDocument.Parse(predicted.Output);
        var expected = model.Predict(test.Texts.Take(4).ToList(), topK: 2);
        Assert.Equal(4, rows.RootElement.GetArrayLength());
        for (int i = 0; i < 4; i++)
        {
            var labels = rows.RootElement[i].GetProperty("labels");
            Assert.Equal(2, labels.GetArrayLength());
            Assert.Equal(expected[i].Best.Class, labels[0].GetProperty("label").GetString());
        }
        var wrongUse = CliRunner.Run("predict", "--model", Path.Combine(run, "model.safetensors"));
        Assert.Equal(2, wrongUse.ExitCode);
        Assert.Contains("--text", wrongUse.Error);
    }

    [Fact]
    public void JsonOutputDescribesAConvolutionalScratchRunWithoutValidation()
    {
        string run = _folder.File("cnn");
        var result = CliRunner.Run(Args("--model", "cnn", "--strategy", "scratch", "--epochs", "2", "--val-split", "0", "--max-length", "12",
            "--json", "--out", run));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("scratch", root.GetProperty("strategy").GetString());
        var phase = Assert.Single(root.GetProperty("phases").EnumerateArray());
        Assert.Equal(2, phase.GetProperty("epochs").GetInt32());
        Assert.Equal("training", root.GetProperty("scoredOn").GetString()); // no validation texts: scored on the training texts
        Assert.InRange(root.GetProperty("scores").GetProperty("accuracy").GetDouble(), 0, 1);
        using var model = TextModel.Load(Path.Combine(run, "model.safetensors"));
        Assert.IsType<ConvTextClassifier>(model.Classifier);
    }

    [Theory]
    [InlineData("--text-column", "review", "the text column 'review' does not exist", "--text-column")]
    [InlineData("--val-split", "1.5", "--val-split", "below 1")]
    [InlineData("--epochs", "0", "--epochs", "at least 1")]
    [InlineData("--lr", "-1", "--lr", "positive")]
    [InlineData("--label-column", "7", "the label column #7", "--label-column")]
    [InlineData("--strategy", "transfer", "transfer", "feature-extraction")]
    public void BadArgumentsExitTwoAndSayWhatToDo(string option, string value, string expected, string hint)
    {
        var result = CliRunner.Run(Args(option, value, "--out", _folder.File("bad")));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error);
        Assert.Contains(hint, result.Error);
    }

    [Fact]
    public void MissingFilesAreUsageErrors()
    {
        var result = CliRunner.Run("train-text", "--data", _data, "--text-column", "body", "--label-column", "topic",
            "--vectors", _folder.File("glove.missing.txt"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--vectors", result.Error);
        Assert.Contains("glove.missing.txt", result.Error);
    }

    [Fact]
    public void BrokenVectorsAreARunTimeFailureThatNamesTheFileAndLine()
    {
        string broken = _folder.Write("broken.glove.txt", TopicCorpus.Filler(0) + " 0.1 0.2\n" + TopicCorpus.Filler(1) + " 0.1 oops\n");
        var result = CliRunner.Run("train-text", "--data", _data, "--text-column", "body", "--label-column", "topic", "--vectors", broken,
            "--out", _folder.File("broken"));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("broken.glove.txt", result.Error);
        Assert.Contains("line 2", result.Error);
    }

    [Fact]
    public void ASingleClassIsAUsageErrorAndLeavesNoRunFolder()
    {
        string oneClass = _folder.Write("one-class.csv", "text,label\nsome words,a\nmore words,a\n");
        var result = CliRunner.Run("train-text", "--data", oneClass, "--vectors", _vectors, "--out", _folder.File("one"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("at least two classes", result.Error);
        Assert.False(Directory.Exists(_folder.File("one")), "a run that never started left a run folder");
    }
}
