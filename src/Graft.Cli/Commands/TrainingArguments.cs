using System.CommandLine;
using Graft.Data.Transforms;
using Graft.Training;
using Graft.Training.Strategies;

namespace Graft.Cli.Commands;

/// <summary>What <c>graft train</c> and <c>graft compare</c> were asked, read from their shared options.</summary>
internal sealed record TrainingSettings(
    string Data,
    string Model,
    string? Weights,
    int Epochs,
    int FineTuneEpochs,
    int? UnfreezeTop,
    double LearningRate,
    double FineTuneLearningRate,
    int BatchSize,
    int? ImageSize,
    IReadOnlyList<IImageTransform> Augmentation,
    double ValidationSplit,
    int Seed,
    string? Out)
{
    /// <summary>
    /// The strategy called <paramref name="name"/> with these epochs and rates. Fine-tuning trains the head for
    /// <see cref="Epochs"/> epochs at <see cref="LearningRate"/>, then the unfrozen top of the base with the head for
    /// <see cref="FineTuneEpochs"/> epochs at <see cref="FineTuneLearningRate"/> (the base layers at a tenth of it).
    /// </summary>
    public Strategy Strategy(string name) => name switch
    {
        "scratch" => new Scratch(Epochs, LearningRate),
        "feature-extraction" => new FeatureExtraction(Epochs, LearningRate),
        "fine-tune" => new FineTune(FineTuneEpochs, UnfreezeTop, LearningRateDivisor: LearningRate / FineTuneLearningRate)
        {
            Head = new FeatureExtraction(Epochs, LearningRate),
        },
        _ => throw new UsageException($"Unknown strategy '{name}'; use scratch, feature-extraction or fine-tune."),
    };

    /// <summary>Learner settings for a run.</summary>
    public TrainOptions Options(bool validation, string? checkpoint) => new()
    {
        LearningRate = LearningRate,
        Seed = Seed,
        CheckpointPath = checkpoint,
        Monitor = validation ? "val_loss" : "loss",
    };
}

/// <summary>The options <c>graft train</c> and <c>graft compare</c> share.</summary>
internal sealed class TrainingArguments
{
    /// <summary>The strategy names users type.</summary>
    public static readonly string[] StrategyNames = ["scratch", "feature-extraction", "fine-tune"];

    public Option<string> Data { get; } = new("--data")
    {
        Required = true,
        Description = "A folder with one subfolder of images per class, or a CSV manifest (path,label or path,value rows)",
    };

    public Option<string> Model { get; } = new("--model") { Required = true, Description = "A zoo architecture ('graft models' lists them), e.g. resnet18 or resnet_mini" };

    public Option<string?> Weights { get; } = new("--weights")
    {
        Description = "Published weights (a tag such as IMAGENET1K_V1, or default), a weight file, or none (default: the model's default weights, none if it has none)",
    };

    public Option<int> Epochs { get; } = CliOptions.Int("--epochs", 5, 1, "Epochs of training (for fine-tuning: of the head phase)");

    public Option<int> FineTuneEpochs { get; } = CliOptions.Int("--fine-tune-epochs", 5, 0, "Epochs of the fine-tuning phase (top of the base unfrozen)");

    public Option<int?> UnfreezeTop { get; } = CliOptions.OptionalInt("--unfreeze-top", 1, "Base layers with weights to unfreeze for fine-tuning, from the top (default: all)");

    public Option<double?> LearningRate { get; } = CliOptions.PositiveNumber("--lr", "Learning rate (default 0.001; for fine-tuning: of the head phase)");

    public Option<double?> FineTuneLearningRate { get; } = CliOptions.PositiveNumber("--fine-tune-lr", "Learning rate of the fine-tuning phase (default: --lr / 10; unfrozen base layers learn at a tenth of it)");

    public Option<int> BatchSize { get; } = CliOptions.Int("--batch-size", 32, 1, "Images per batch");

    public Option<int?> ImageSize { get; } = CliOptions.OptionalInt("--image-size", 8, "Side of the square images the model sees (default: the model's input size)");

    public Option<IReadOnlyList<IImageTransform>> Augment { get; } = Augmentation.Option();

    public Option<double> ValidationSplit { get; } = CliOptions.Fraction("--val-split", 0.2, "Share of each class held out for validation (0 for none)");

    public Option<int> Seed { get; } = CliOptions.Int("--seed", 0, 0, "Seed of the split, the sampling, the fresh weights and the data order");

    public Option<string?> Out { get; } = new("--out") { Description = "The run folder (default: runs/<verb>-<date>-<time>)" };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Option[] all = [Data, Model, Weights, Epochs, FineTuneEpochs, UnfreezeTop, LearningRate, FineTuneLearningRate, BatchSize, ImageSize, Augment, ValidationSplit, Seed, Out];
        foreach (var option in all) command.Options.Add(option);
    }

    /// <summary>Reads the settings.</summary>
    public TrainingSettings Read(ParseResult result)
    {
        double rate = result.GetValue(LearningRate) ?? 1e-3;
        return new TrainingSettings(
            result.GetValue(Data)!,
            result.GetValue(Model)!,
            result.GetValue(Weights),
            result.GetValue(Epochs),
            result.GetValue(FineTuneEpochs),
            result.GetValue(UnfreezeTop),
            rate,
            result.GetValue(FineTuneLearningRate) ?? rate / 10,
            result.GetValue(BatchSize),
            result.GetValue(ImageSize),
            result.GetValue(Augment) ?? [],
            result.GetValue(ValidationSplit),
            result.GetValue(Seed),
            result.GetValue(Out));
    }
}
