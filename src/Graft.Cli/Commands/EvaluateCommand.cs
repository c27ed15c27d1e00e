using System.CommandLine;
using Graft.Data;
using Graft.Reports;
using Graft.Training;

namespace Graft.Cli.Commands;

/// <summary><c>graft evaluate</c>: a saved model's scores on labelled images, per class, with its confusion matrix.</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Required = true, Description = "A model saved by 'graft train' (model.safetensors)" };
        var data = new Option<string>("--data") { Required = true, Description = "Labelled images: a folder of class subfolders, or a CSV manifest" };
        var batchSize = CliOptions.Int("--batch-size", 64, 1, "Images per batch");
        var output = new Option<string?>("--out") { Description = "The run folder (default: runs/evaluate-<date>-<time>)" };
        var command = new Command("evaluate", "Score a trained model on labelled images: metrics, per-class precision/recall/F1 and the confusion matrix")
        {
            model, data, batchSize, output,
        };
        command.SetAction(result =>
        {
            var ui = GlobalOptions.Ui(result);
            string modelPath = result.GetValue(model)!;
            var (network, info, preprocessing) = SavedModels.Load(modelPath, ui);
            using var _ = network;
            bool regression = info.Task.Kind == "regression";
            var source = Relabel(DataSources.Open(result.GetValue(data)!, regression), info, regression);
            var folder = RunFolder.Create(result.GetValue(output), "evaluate");
            int channels = info.InputChannels ?? 3;
            var loader = Loaders.Create(source, ImagePipeline.ForModel(preprocessing, channels), preprocessing, training: false,
                result.GetValue(batchSize), seed: 0, ui);
            ui.Note($"Evaluating {info.Architecture} from {modelPath} on {source.Count} images.");
            using var learner = new Learner(network, loader, task: info.Task);
            var scores = learner.Evaluate(loader);

            var report = new MarkdownReport($"graft evaluate: {Path.GetFileName(modelPath)}")
                .Paragraph($"Command: `{CommandText.With(result)}`")
                .Paragraph($"Model {modelPath} ({info.Architecture}, {info.Task.Kind}), data {result.GetValue(data)}: {source.Count} images.");
            RunOutputs.Scores(folder, scores, info.ClassNames, report, "Scores");
            WriteMetrics(folder, scores);
            report.Save(folder.File("report.md"));

            if (ui.Json)
            {
                ui.WriteJson(new
                {
                    RunFolder = folder.Path,
                    Scores = RunOutputs.Json(scores),
                    scores.Samples,
                    PerClass = scores.Confusion is { } c && c.Classes == info.ClassNames.Count
                        ? info.ClassNames.Select((name, k) => new { Class = name, Precision = c.Precision(k), Recall = c.Recall(k), F1 = c.F1(k) })
                        : null,
                    Confusion = scores.Confusion is { } m ? Enumerable.Range(0, m.Classes).Select(r => Enumerable.Range(0, m.Classes).Select(p => m[r, p])) : null,
                });
                return ExitCodes.Success;
            }
            RunOutputs.Show(ui, scores, info.ClassNames, "Scores", perClass: true);
            ui.Line($"Report:  {folder.DisplayFile("report.md")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteMetrics(RunFolder folder, Graft.Training.Metrics.MetricValues scores) =>
        Graft.IO.AtomicFile.WriteAllText(folder.File("metrics.csv"), RunTables.Scores(scores).ToCsv());

    // The data's classes may be fewer than the model's, or listed in another order: match them by name.
    private static IImageSource Relabel(IImageSource source, ModelInfo info, bool regression)
    {
        if (regression)
        {
            if (source.TargetCount != info.Outputs)
                throw new InvalidDataException($"The data has {source.TargetCount} regression value(s) per image; the model predicts {info.Outputs}.");
            return source;
        }
        if (source.ClassNames.SequenceEqual(info.ClassNames)) return source;
        var unknown = source.ClassNames.Where(n => !info.ClassNames.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException(
                $"The data has class(es) the model was not trained on: {string.Join(", ", unknown)}. The model knows: {string.Join(", ", info.ClassNames)}.");
        int[] map = source.ClassNames.Select(n => info.ClassNames.ToList().IndexOf(n)).ToArray();
        return new SourceView(source, Enumerable.Range(0, source.Count).ToArray(), map, info.ClassNames);
    }
}
