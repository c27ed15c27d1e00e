namespace Graft.Tests.Cli;

/// <summary>Mistakes users make, each answered in plain words with the fix, and the promised exit code.</summary>
[Collection("Cli")]
public class ErrorTests(CliFixture data)
{
    private static void AssertFails(CliResult result, int exitCode, params string[] phrases)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        foreach (string phrase in phrases) Assert.Contains(phrase, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal); // no stack traces
    }

    [Fact]
    public void AMissingDataPathIsAUsageError() =>
        AssertFails(CliRunner.Run("train", "--data", Path.Combine(data.Root, "no-such-folder"), "--model", "resnet_mini"), 2,
            "no-such-folder' does not exist", "one subfolder of images per class");

    [Fact]
    public void AFolderWithoutClassSubfoldersSaysHowToArrangeIt()
    {
        string loose = data.NewFolder("loose");
        File.Copy(Path.Combine(data.Shapes, "circle", "00.png"), Path.Combine(loose, "a.png"));
        AssertFails(CliRunner.Run("train", "--data", loose, "--model", "resnet_mini", "--weights", "none"), 1,
            "has no class subfolders (it holds 1 image(s) directly)", "Put each class's images in its own subfolder");
    }

    [Fact]
    public void AnUnknownModelNameSuggestsTheClosest()
    {
        AssertFails(CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet19"), 2, "No model named 'resnet19'. Did you mean 'resnet18'?");
        AssertFails(CliRunner.Run("summary", "mobilenet_v3_smal"), 2, "Did you mean 'mobilenet_v3_small'?");
    }

    [Fact]
    public void AnUnknownWeightTagListsThePublishedOnes() =>
        AssertFails(CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet50", "--weights", "IMAGENET9"), 2,
            "has no weights 'IMAGENET9'", "IMAGENET1K_V1, IMAGENET1K_V2");

    [Fact]
    public void WeightsThatDoNotFitTheModelNameTheKeys()
    {
        AssertFails(CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet18", "--weights", data.BaseModel, "--image-size", "32"), 1,
            "do not match the model", "layer4.0.conv1.weight", "shape mismatch");
        AssertFails(CliRunner.Run("summary", "resnet_mini", "--weights", data.MobileNetWeights), 1, "do not match the model", "features.0.0.weight");
    }

    [Fact]
    public void AMissingWeightFileIsAUsageError() =>
        AssertFails(CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet_mini", "--weights", "./missing.safetensors"), 2,
            "Weight file './missing.safetensors' does not exist");

    [Theory]
    [InlineData("--val-split", "1.5", "--val-split must be at least 0 and below 1")]
    [InlineData("--augment", "flip,wobble=0.2", "unknown step 'wobble'")]
    [InlineData("--augment", "rotate=2", "between 0 and 1")]
    [InlineData("--strategy", "transfer", "'transfer'")]
    [InlineData("--epochs", "0", "--epochs must be at least 1")]
    [InlineData("--lr", "-1", "--lr must be a positive number")]
    public void BadOptionValuesShowUsageAndExitTwo(string option, string value, string message)
    {
        var result = CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet_mini", option, value);
        AssertFails(result, 2, message, "Usage:", "--fine-tune-epochs");
    }

    [Fact]
    public void ResumingWithoutACheckpointSaysThereIsNothingToResume()
    {
        AssertFails(CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet_mini", "--resume"), 2, "--resume needs --out");
        AssertFails(CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet_mini", "--weights", "none", "--resume", "--out", data.NewFolder("fresh")), 2,
            "There is no checkpoint to resume", "Run without --resume");
    }

    [Fact]
    public void ResumingWithOtherOptionsThanTheRunStartedWithIsRefusedNamingEachDifference()
    {
        string folder = data.NewFolder("changed");
        string[] start = ["train", "--data", data.Shapes, "--model", "resnet_mini", "--weights", "none", "--epochs", "1", "--batch-size", "8",
            "--image-size", "40", "--lr", "0.001", "--out", folder];
        var first = CliRunner.Run(start);
        Assert.True(first.ExitCode == 0, first.ToString());
        string record = File.ReadAllText(Path.Combine(folder, "run-options.json"));
        Assert.Contains("\"--lr\": \"0.001\"", record, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(data.Shapes).Replace("\\", "\\\\"), record, StringComparison.Ordinal);
        // Stand in for an interrupted run's checkpoint: the options are compared before it is read.
        string checkpoint = Path.Combine(folder, "checkpoint.safetensors");
        if (!File.Exists(checkpoint)) File.WriteAllText(checkpoint, "not read");

        string[] changed = ["train", "--data", data.Shapes, "--model", "resnet_mini", "--weights", "none", "--epochs", "1", "--batch-size", "16",
            "--image-size", "40", "--lr", "0.01", "--out", folder, "--resume"];
        AssertFails(CliRunner.Run(changed), 2, "--batch-size: '8' at the start, '16' now", "--lr: '0.001' at the start, '0.01' now",
            "run without --resume to start over");
    }

    [Fact]
    public void EvaluateAndPredictRefuseWhatIsNotAGraftModelOrAnImage()
    {
        AssertFails(CliRunner.Run("evaluate", "--model", data.MobileNetWeights, "--data", data.Shapes), 2, "is not a model saved by Graft");
        AssertFails(CliRunner.Run("evaluate", "--model", Path.Combine(data.Root, "nope.safetensors"), "--data", data.Shapes), 2, "does not exist");
        AssertFails(CliRunner.Run("predict", "--model", data.BaseModel, Path.Combine(data.Root, "nope.png")), 2, "nope.png' does not exist");
    }

    [Fact]
    public void EvaluatingOnClassesTheModelDoesNotKnowNamesThem()
    {
        string other = data.NewFolder("other-classes");
        Directory.CreateDirectory(Path.Combine(other, "circle"));
        Directory.CreateDirectory(Path.Combine(other, "hexagon"));
        File.Copy(Path.Combine(data.Shapes, "circle", "00.png"), Path.Combine(other, "circle", "a.png"));
        File.Copy(Path.Combine(data.Shapes, "square", "00.png"), Path.Combine(other, "hexagon", "b.png"));
        AssertFails(CliRunner.Run("evaluate", "--model", data.BaseModel, "--data", other), 1, "class(es) the model was not trained on: hexagon");
    }

    [Fact]
    public void OfflineTrainingAndPredictionSayWhichUrlToFetchAndWhere()
    {
        AssertFails(CliRunner.Run("train", "--data", data.Shapes, "--model", "resnet18", "--image-size", "32", "--out", data.NewFolder("offline")), 1,
            "offline mode is on", "https://download.pytorch.org/models/resnet18-f37072fd.pth", Path.Combine("weights", "resnet18-f37072fd.pth"));
        AssertFails(CliRunner.Run("predict", "--model", "mobilenet_v3_small", Path.Combine(data.Shapes, "circle", "00.png")), 1,
            "offline mode is on", "mobilenet_v3_small-047dcff4.pth", "curl -L -o");
    }
}
