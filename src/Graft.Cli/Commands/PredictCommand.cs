using System.CommandLine;
using System.Globalization;
using Graft.Data;
using Graft.Models;
using Graft.Reports;
using Graft.Training;
using Graft.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Cli.Commands;

/// <summary><c>graft predict</c>: the top-k labels of images, with a saved model or a zoo model's pretrained weights.</summary>
public static class PredictCommand
{
    private const int BatchSize = 32;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Required = true,
            Description = "A model saved by 'graft train', or a zoo name whose pretrained weights are used (ImageNet categories)",
        };
        var weights = new Option<string?>("--weights") { Description = "With a zoo name: published weights (tag) or a weight file (default: its default weights)" };
        var top = CliOptions.Int("--top", 3, 1, "How many labels to show per image");
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Images, or folders searched for images; for a text model, text files with one text per line",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var texts = new Option<string[]>("--text") { Description = "For a text model: a text to label (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("predict", "Label images (or texts) with a trained model: top-k classes with probabilities") { model, weights, top, texts, paths };
        command.SetAction((result, cancellation) =>
        {
            var ui = GlobalOptions.Ui(result);
            string modelPath = Graft.IO.GraftHome.ExpandHome(result.GetValue(model)!);
            if (File.Exists(modelPath) && Graft.Text.TextModel.IsTextModel(modelPath))
                return Task.FromResult(PredictTexts(ui, modelPath, result.GetValue(texts) ?? [], result.GetValue(paths) ?? [], result.GetValue(top)));
            if ((result.GetValue(texts) ?? []).Length > 0)
                throw new UsageException("--text goes with a text model (made by 'graft train-text'); this model labels images.");
            var given = result.GetValue(paths) ?? [];
            if (given.Length == 0) throw new UsageException("Give at least one image file or folder to label.");
            var files = ImageFiles(given);
            var (network, info, preprocessing) = Open(result.GetValue(model)!, result.GetValue(weights), ui);
            using var _ = network;
            var pipeline = ImagePipeline.ForModel(preprocessing, info.InputChannels ?? 3);
            var predictions = Predict(network, info, pipeline, preprocessing.CropSize, files, result.GetValue(top), ui, cancellation);
            Show(ui, predictions, info);
            return Task.FromResult(predictions.Count == files.Count ? ExitCodes.Success : ExitCodes.Failure);
        });
        return command;
    }

    // Text models: texts from --text and from files (one per line); the model's own tokenizer and vocabulary.
    private static int PredictTexts(ConsoleUi ui, string modelPath, string[] texts, string[] files, int top)
    {
        var all = new List<string>(texts);
        foreach (string given in files)
        {
            string path = Graft.IO.GraftHome.ExpandHome(given);
            if (!File.Exists(path)) throw new UsageException($"'{given}' does not exist; give text files (one text per line) or --text \"...\".");
            all.AddRange(File.ReadLines(path).Where(line => line.Trim().Length > 0));
        }
        if (all.Count == 0) throw new UsageException("Give texts to label: --text \"...\" or a file with one text per line.");
        using var model = Graft.Text.TextModel.Load(modelPath);
        var predictions = model.Predict(all, top);
        foreach (var p in predictions.Where(p => p.Words > 0 && p.UnknownWords == p.Words))
            ui.Warn($"none of the words of \"{Shorten(p.Text)}\" is in the model's vocabulary; its label is a guess.");
        if (ui.Json)
        {
            ui.WriteJson(predictions.Select(p => new { text = p.Text, labels = p.Top.Select(c => new { label = c.Class, probability = c.Probability }) }));
            return ExitCodes.Success;
        }
        var table = new Table("text", "rank", "label", "probability");
        foreach (var p in predictions)
            for (int rank = 0; rank < p.Top.Count; rank++)
                table.Add(rank == 0 ? Shorten(p.Text) : "", rank + 1, p.Top[rank].Class, p.Top[rank].Probability.ToString("0.0000", CultureInfo.InvariantCulture));
        ui.Show(table);
        return ExitCodes.Success;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static List<string> ImageFiles(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (string given in paths)
        {
            string path = Graft.IO.GraftHome.ExpandHome(given);
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(ImageDecoder.HasImageExtension)
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                    throw new UsageException($"Folder '{given}' holds no images ({string.Join(", ", ImageDecoder.Extensions)}).");
                files.AddRange(found);
            }
            else if (File.Exists(path)) files.Add(path);
            else throw new UsageException($"'{given}' does not exist (looked for '{Path.GetFullPath(path)}'). Give image files or folders of images.");
        }
        return files;
    }

    private static (nn.Module<Tensor, Tensor> Model, ModelInfo Info, Preprocessing Preprocessing) Open(string reference, string? weights, ConsoleUi ui)
    {
        string path = Graft.IO.GraftHome.ExpandHome(reference);
        if (File.Exists(path) || reference.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            if (weights is not null) throw new UsageException("--weights goes with a zoo name; --model is already a saved model.");
            return SavedModels.Load(path, ui);
        }
        if (string.Equals(weights, "none", StringComparison.OrdinalIgnoreCase))
            throw new UsageException("Predicting needs trained weights; --weights none would give random labels.");
        var choice = ModelChoice.Resolve(ui, reference, weights);
        if (!choice.Pretrained)
            throw new UsageException($"'{choice.Spec.Name}' has no published weights; give a model saved by 'graft train', or --weights FILE.");
        var network = DownloadDisplay.Run(ui, choice.WeightsDescription, DownloadDisplay.Needed(choice.Published?.File), p => choice.Published is not null
            ? choice.Spec.CreatePretrained(choice.Published, download: null, progress: p)
            : choice.Spec.CreateForTransfer(choice.WeightFile!));
        network.eval();
        int outputs = ModelInfo.Describe(network, new Classification()).Outputs;
        var categories = (choice.Published ?? choice.Spec.Default)?.Categories;
        var names = categories is not null && categories.Count == outputs ? categories : Enumerable.Range(0, outputs).Select(i => $"class {i}").ToList();
        if (categories is null || categories.Count != outputs) ui.Warn($"No class names are known for this model's {outputs} outputs; showing class numbers.");
        var info = new ModelInfo(choice.Spec.Name) { ClassNames = names.ToArray(), Outputs = outputs, InputChannels = choice.Spec.InputChannels };
        return (network, info, choice.Preprocessing);
    }

    private static List<Prediction> Predict(nn.Module<Tensor, Tensor> model, ModelInfo info, ImagePipeline pipeline, int size, List<string> files, int top,
        ConsoleUi ui, CancellationToken cancellation)
    {
        var predictions = new List<Prediction>();
        model.eval();
        for (int start = 0; start < files.Count && !cancellation.IsCancellationRequested; start += BatchSize)
        {
            var batchFiles = new List<string>();
            var values = new List<float[]>();
            foreach (string file in files.Skip(start).Take(BatchSize))
            {
                try
                {
                    var image = ImageDecoder.DecodeFile(file, pipeline.DecodeHint);
                    values.Add(pipeline.Process(image, training: false, new Random(0)));
                    batchFiles.Add(file);
                }
                catch (BadImageException e)
                {
                    ui.Warn(e.Message);
                }
            }
            if (values.Count == 0) continue;
            int channels = pipeline.Output.Channels;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(values.SelectMany(v => v).ToArray(), [values.Count, channels, size, size]);
            var output = info.Task.Predict(model.call(x)).cpu();
            float[] flat = output.data<float>().ToArray();
            int width = (int)(output.numel() / values.Count);
            for (int i = 0; i < batchFiles.Count; i++)
            {
                var row = flat.AsSpan(i * width, width).ToArray();
                predictions.Add(info.Task is Regression
                    ? new Prediction(batchFiles[i], [], row)
                    : new Prediction(batchFiles[i], row.Select((p, c) => new Guess(c < info.ClassNames.Count ? info.ClassNames[c] : $"class {c}", p))
                        .OrderByDescending(l => l.Probability).Take(top).ToList(), null));
            }
        }
        return predictions;
    }

    private static void Show(ConsoleUi ui, List<Prediction> predictions, ModelInfo info)
    {
        if (ui.Json)
        {
            ui.WriteJson(predictions);
            return;
        }
        if (info.Task is Regression)
        {
            var values = new Table("image", "predicted values");
            foreach (var p in predictions)
                values.Add(p.Path, string.Join(", ", p.Values!.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture))));
            ui.Show(values);
            return;
        }
        var table = new Table("image", "rank", "label", "probability");
        foreach (var p in predictions)
            for (int rank = 0; rank < p.Labels.Count; rank++)
                table.Add(rank == 0 ? p.Path : "", rank + 1, p.Labels[rank].Label,
                    p.Labels[rank].Probability.ToString("0.0000", CultureInfo.InvariantCulture));
        ui.Show(table);
    }

    private sealed record Guess(string Label, float Probability);

    private sealed record Prediction(string Path, IReadOnlyList<Guess> Labels, float[]? Values);
}
