using System.CommandLine;
using System.Globalization;
using Graft.Data;
using Graft.IO;
using Graft.Reports;
using Graft.Training.Comparison;
using Spectre.Console;

namespace Graft.Cli.Commands;

/// <summary>
/// <c>graft compare</c>: scratch vs feature extraction vs fine-tuning with 5, 20, 100 … labelled images per class
/// (k-shot samples of the training part, scored on the held-out part), over several seeds; one table and a chart.
/// </summary>
public static class CompareCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var arguments = new TrainingArguments();
        var shots = CliOptions.IntList("--shots", [5, 20, 100], "Labelled images per class to train on, comma-separated (drawn from the training part)");
        var seeds = CliOptions.Int("--seeds", 3, 1, "Runs per strategy and shot count, each with its own sample and fresh head");
        var strategies = new Option<string[]>("--strategies")
        {
            Description = "Strategies to compare, comma-separated",
            DefaultValueFactory = _ => TrainingArguments.StrategyNames,
            CustomParser = r =>
            {
                var names = r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct().ToArray();
                foreach (var name in names.Where(n => !TrainingArguments.StrategyNames.Contains(n)))
                    r.AddError($"--strategies: unknown strategy '{name}'; use {string.Join(", ", TrainingArguments.StrategyNames)}.");
                return names;
            },
        };
        var command = new Command("compare", "Compare scratch, feature extraction and fine-tuning on the same k-shot samples: mean ± std accuracy, time, trainable parameters");
        arguments.AddTo(command);
        command.Options.Add(shots);
        command.Options.Add(seeds);
        command.Options.Add(strategies);
        command.SetAction((result, cancellation) => Task.FromResult(Run(result, arguments.Read(result), result.GetValue(shots)!, result.GetValue(seeds),
            result.GetValue(strategies)!, cancellation)));
        return command;
    }

    private static int Run(ParseResult result, TrainingSettings settings, int[] shots, int seeds, string[] strategyNames, CancellationToken cancellation)
    {
        var ui = GlobalOptions.Ui(result);
        if (settings.ValidationSplit == 0) throw new UsageException("compare scores every run on the held-out part: --val-split must be above 0.");
        var choice = ModelChoice.Resolve(ui, settings.Model, settings.Weights, settings.ImageSize);
        var source = DataSources.Open(settings.Data, regression: false);
        if (source.ClassNames.Count < 2)
            throw new UsageException($"'{settings.Data}' has a single class ('{source.ClassNames[0]}'); comparing classifiers needs at least two class subfolders.");
        var (train, test) = source.SplitTrainValidation(settings.ValidationSplit, settings.Seed);
        if (test.Count == 0) throw new UsageException("--val-split leaves no image to test on (each class needs at least 2 images).");
        if (!choice.Pretrained && strategyNames.Any(n => n != "scratch"))
            ui.Warn("--weights none: feature extraction and fine-tuning start from a random base, so they cannot beat scratch by transfer.");
        if (choice.Published is { } published)
            DownloadDisplay.Run(ui, choice.WeightsDescription, DownloadDisplay.Needed(published.File), p => Downloader.Fetch(published.File, progress: p)); // once, before the runs
        var folder = RunFolder.Create(settings.Out, "compare");

        int channels = choice.Spec.InputChannels, classes = source.ClassNames.Count;
        var trainPipeline = ImagePipeline.ForModel(choice.Preprocessing, channels, settings.Augmentation);
        var testPipeline = ImagePipeline.ForModel(choice.Preprocessing, channels);
        var comparison = new ShotComparison(_ => choice.Create(classes), train, test,
            (images, training, seed) => Loaders.Create(images, training ? trainPipeline : testPipeline, choice.Preprocessing, training, settings.BatchSize, seed, ui))
        {
            Strategies = strategyNames.Select(settings.Strategy).ToList(),
            Shots = shots,
            Seeds = seeds,
            FirstSeed = settings.Seed,
            Options = settings.Options(validation: false, checkpoint: null),
        };
        ui.Note($"Comparing {string.Join(", ", strategyNames)} on {choice.Spec.Name} (weights: {choice.WeightsDescription}): {comparison.RunCount} runs "
                + $"({string.Join(", ", shots)} shots × {seeds} seed(s)), each drawn from {train.Count} training images and tested on {test.Count}. Run folder: {folder.Display}");
        var outcome = RunWithProgress(ui, comparison, cancellation);

        var report = new MarkdownReport($"graft compare: {choice.Spec.Name} on {Path.GetFileName(Path.TrimEndingDirectorySeparator(settings.Data))}")
            .Paragraph($"Command: `{CommandText.With(result)}`")
            .Paragraph($"Model {choice.Spec.Name}, weights {choice.WeightsDescription}, input {channels}×{choice.Preprocessing.CropSize}×{choice.Preprocessing.CropSize}. "
                       + $"Each run trains on k images per class drawn (per seed) from {train.Count} training images and is tested on {test.Count} held-out images "
                       + $"(split {settings.ValidationSplit.ToString(CultureInfo.InvariantCulture)}, seed {settings.Seed}). Epochs {settings.Epochs}"
                       + $" (fine-tuning: then {settings.FineTuneEpochs} at {settings.FineTuneLearningRate.ToString("G3", CultureInfo.InvariantCulture)}), learning rate {settings.LearningRate.ToString("G3", CultureInfo.InvariantCulture)}.")
            .Heading("Test accuracy, mean ± standard deviation over seeds")
            .Add(RunTables.Comparison(outcome));
        AtomicFile.WriteAllText(folder.File("runs.csv"), RunTables.Runs(outcome).ToCsv());
        AtomicFile.WriteAllText(folder.File("metrics.csv"), RunTables.Epochs(outcome).ToCsv());
        report.Paragraph("Every run: [runs.csv](runs.csv); every epoch of every run: [metrics.csv](metrics.csv).");
        if (outcome.Rows.Count > 0)
        {
            Charts.AccuracyVsShots(folder.File("accuracy-vs-shots.png"), $"{choice.Spec.Name}: test accuracy against labelled images per class", outcome);
            report.Image("test accuracy against labelled images per class (mean ± std over seeds)", "accuracy-vs-shots.png");
        }
        if (outcome.Best is { } best)
            RunOutputs.Scores(folder, best.Test, outcome.ClassNames, report, $"Best run ({best.Run})");
        if (outcome.Interrupted) report.Paragraph($"Interrupted after {outcome.Runs.Count} of {comparison.RunCount} runs.");
        report.Save(folder.File("report.md"));

        if (ui.Json)
            ui.WriteJson(new
            {
                RunFolder = folder.Path,
                outcome.Metric,
                outcome.Interrupted,
                outcome.Rows,
                Runs = outcome.Runs.Select(r => new { Strategy = r.Run.Strategy.Name, r.Run.Shots, r.Run.Seed, Test = RunOutputs.Json(r.Test), Seconds = r.Duration.TotalSeconds, r.TrainableParameters }),
            });
        else
        {
            ui.Show(RunTables.Comparison(outcome), "Test accuracy over seeds (mean ± std)");
            ui.Line($"Report:  {folder.DisplayFile("report.md")}");
        }
        if (!outcome.Interrupted) return ExitCodes.Success;
        ui.Important($"Interrupted after {outcome.Runs.Count} of {comparison.RunCount} runs; the tables hold the runs that finished. Run the command again to redo them all.");
        return ExitCodes.Failure;
    }

    private static ShotComparisonResult RunWithProgress(ConsoleUi ui, ShotComparison comparison, CancellationToken cancellation)
    {
        comparison.RunEnded += (_, e) => ui.Note(string.Create(CultureInfo.InvariantCulture,
            $"[{e.Index + 1}/{e.Count}] {e.Result.Run}: test {comparison.Metric} {e.Result.Test[comparison.Metric]:0.000} ({e.Result.Duration.TotalSeconds:0.0} s)"));
        if (!ui.ShowProgress) return comparison.Run(cancellation);
        return ui.StepProgress().Start(context =>
        {
            var task = context.AddTask("runs", maxValue: comparison.RunCount);
            comparison.RunStarted += (_, e) => task.Description = Markup.Escape($"run {e.Index + 1}/{e.Count}: {e.Run}");
            comparison.RunEnded += (_, _) => task.Increment(1);
            return comparison.Run(cancellation);
        });
    }
}
