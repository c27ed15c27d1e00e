using System.CommandLine;
using System.Globalization;
using Graft.Layers;
using Graft.Models;
using Graft.Reports;

namespace Graft.Cli.Commands;

/// <summary><c>graft summary MODEL</c>: Keras' <c>model.summary()</c> for a zoo model, a weight file or a saved Graft model.</summary>
public static class SummaryCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "A zoo name (resnet18), a weight file (resnet18-f37072fd.pth) or a model saved by 'graft train'" };
        var weights = new Option<string?>("--weights") { Description = "A weight file to load into the zoo model (checks that it fits)" };
        var inputSize = CliOptions.OptionalInt("--input-size", 1, "Side of the square input the output shapes are computed for (default: the model's)");
        var classes = CliOptions.OptionalInt("--num-classes", 1, "Classifier outputs of a zoo model (default: its published classes)");
        var freezeBase = new Option<bool>("--freeze-base") { Description = "Show the base frozen (feature extraction)" };
        var unfreezeTop = CliOptions.OptionalInt("--unfreeze-top", 0, "Show the base frozen except its top N weighted layers (fine-tuning)");
        var command = new Command("summary", "Show a model layer by layer: type, output shape, parameters and whether each layer is trainable")
        {
            model, weights, inputSize, classes, freezeBase, unfreezeTop,
        };
        command.SetAction(result =>
        {
            var ui = GlobalOptions.Ui(result);
            var (network, defaultSize, channels) = Open(result.GetValue(model)!, result.GetValue(weights), result.GetValue(classes), ui);
            using (network)
            {
                if (result.GetValue(freezeBase) || result.GetValue(unfreezeTop) is not null) network.BaseLayers.Freeze();
                if (result.GetValue(unfreezeTop) is int top) network.UnfreezeTop(top);
                int size = result.GetValue(inputSize) ?? defaultSize;
                var summary = ModelSummary.Of(network, 1, channels, size, size);
                Show(ui, summary);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static (Network Network, int InputSize, int Channels) Open(string reference, string? weights, int? classes, ConsoleUi ui)
    {
        string path = Graft.IO.GraftHome.ExpandHome(reference);
        if (File.Exists(path))
        {
            if (weights is not null) throw new UsageException("--weights goes with a zoo name; MODEL is already a file.");
            if (SavedModels.IsGraftModel(path))
            {
                var (module, info, preprocessing) = SavedModels.Load(path, ui);
                if (module is not Network saved)
                    throw new InvalidDataException($"'{reference}' holds a {module.GetType().Name}, which has no layer list to summarise.");
                return (saved, preprocessing.CropSize, info.InputChannels ?? 3);
            }
            var guessed = ArchitectureFromFileName(path)
                ?? throw new UsageException($"'{reference}' is a weight file without Graft metadata and its name does not start with a zoo architecture. "
                    + $"Name the architecture: graft summary ARCH --weights {reference}");
            ui.Note($"Reading '{reference}' as {guessed.Name} weights (from its file name).");
            return (guessed.CreateForTransfer(path, classes), guessed.Preprocessing.CropSize, guessed.InputChannels);
        }
        if (reference.IndexOfAny(['/', '\\']) >= 0 || LooksLikeFileName(reference))
            throw new UsageException($"'{reference}' does not exist (looked for '{Path.GetFullPath(path)}'). Give a zoo name ('graft models' lists them), a weight file or a saved model.");

        var choice = ModelChoice.Resolve(reference, weights);
        var network = choice.WeightFile is not null
            ? choice.Spec.CreateForTransfer(choice.WeightFile, classes)
            : choice.Spec.Create(classes ?? choice.Published?.NumClasses);
        return (network, choice.Preprocessing.CropSize, choice.Spec.InputChannels);
    }

    private static bool LooksLikeFileName(string reference) =>
        reference.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || reference.EndsWith(".pt", StringComparison.OrdinalIgnoreCase)
        || reference.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || reference.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);

    // torchvision's files are named after their builder (resnet18-f37072fd.pth): the longest zoo name the file name starts with.
    private static ModelSpec? ArchitectureFromFileName(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        return Zoo.All.Where(s => name.StartsWith(s.Name, StringComparison.Ordinal)
                                  && (name.Length == s.Name.Length || name[s.Name.Length] is '-' or '.' or '_'))
            .MaxBy(s => s.Name.Length);
    }

    private static void Show(ConsoleUi ui, ModelSummary summary)
    {
        static string Shape(long[]? shape) => shape is null ? "-" : "(" + string.Join(", ", shape) + ")";
        if (ui.Json)
        {
            ui.WriteJson(new
            {
                summary.Name,
                summary.InputShape,
                Layers = summary.Rows.Select(r => new { r.Depth, r.Name, r.Type, r.OutputShape, r.Parameters, r.Trainable }),
                summary.Totals.Parameters,
                summary.Totals.TrainableParameters,
                NonTrainableParameters = summary.Totals.FrozenParameters,
                summary.Totals.BufferScalars,
            });
            return;
        }
        var table = new Table("layer", "type", "output shape", "parameters", "trainable");
        foreach (var row in summary.Rows)
            table.Add(new string(' ', 2 * row.Depth) + row.Name, row.Type, Shape(row.OutputShape),
                row.Parameters.ToString("N0", CultureInfo.InvariantCulture), row.Trainable ? "yes" : "no");
        ui.Show(table, $"{summary.Name}, input {Shape(summary.InputShape)}");
        ui.Line($"Total parameters:         {summary.Totals.Parameters.ToString("N0", CultureInfo.InvariantCulture)}");
        ui.Line($"Trainable parameters:     {summary.Totals.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture)}");
        ui.Line($"Non-trainable parameters: {summary.Totals.FrozenParameters.ToString("N0", CultureInfo.InvariantCulture)}");
        ui.Line($"Non-trainable state (BatchNorm statistics): {summary.Totals.BufferScalars.ToString("N0", CultureInfo.InvariantCulture)}");
    }
}
