using System.CommandLine;
using System.Globalization;
using Graft.Data;
using Graft.Reports;
using Graft.Training;
using Graft.Training.Metrics;
using Graft.Training.Tasks;

namespace Graft.Cli.Commands;

/// <summary>
/// <c>graft train</c>: trains a zoo model on an image folder or CSV manifest with a strategy (scratch, feature
/// extraction, fine-tuning), with live progress, a checkpoint every epoch (Ctrl+C stops cleanly; <c>--resume</c>
/// continues), and a run folder with the saved model, <c>metrics.csv</c>, charts and <c>report.md</c>.
/// </summary>
public static class TrainCommand
{
    private const string CheckpointName = "checkpoint.safetensors";

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var arguments = new TrainingArguments();
        var strategy = new Option<string?>("--strategy")
        {
            Description = "scratch (random weights, everything trains), feature-extraction (frozen base, new head) or fine-tune (then the top of the base at a low rate); default: fine-tune with pretrained weights, else scratch",
        };
        strategy.AcceptOnlyFromAmong(TrainingArguments.StrategyNames);
        var task = CliOptions.Choice("--task", "classification", "classification (class subfolders or path,label rows) or regression (path,value rows)",
            "classification", "regression");
        var resume = new Option<bool>("--resume") { Description = "Continue the interrupted run in --out from its last checkpoint (give the same options)" };
        var command = new Command("train", "Train a model on your images: from scratch, by feature extraction, or by fine-tuning a pretrained base");
        arguments.AddTo(command);
        command.Options.Add(strategy);
        command.Options.Add(task);
        command.Options.Add(resume);
        command.SetAction((result, cancellation) => Task.FromResult(Run(result, arguments.Read(result), result.GetValue(strategy),
            result.GetValue(task) == "regression", result.GetValue(resume), cancellation)));
        return command;
    }

    private static int Run(ParseResult result, TrainingSettings settings, string? strategyName, bool regression, bool resume, CancellationToken cancellation)
    {
        var ui = GlobalOptions.Ui(result);
        if (resume && settings.Out is null) throw new UsageException("--resume needs --out DIR, the run folder of the interrupted run.");
        var choice = ModelChoice.Resolve(ui, settings.Model, settings.Weights, settings.ImageSize);
        var source = DataSources.Open(settings.Data, regression);
        int outputs = regression ? source.TargetCount : source.ClassNames.Count;
        if (!regression && outputs < 2)
            throw new UsageException($"'{settings.Data}' has a single class ('{source.ClassNames[0]}'); a classifier needs at least two class subfolders.");
        if (resume && !File.Exists(Path.Combine(settings.Out!, CheckpointName)))
            throw new UsageException($"There is no checkpoint to resume in {settings.Out} ({Path.GetFullPath(Path.Combine(settings.Out!, CheckpointName))} does not exist). Run without --resume to start over.");
        if (resume) RunOptionsRecord.CheckResume(settings.Out!, RunOptionsRecord.Of(result));

        var (trainPart, validationPart) = Split(source, settings, ui);
        strategyName ??= choice.Pretrained ? "fine-tune" : "scratch";
        if (strategyName != "scratch" && !choice.Pretrained)
            ui.Warn($"{strategyName} with --weights none freezes a randomly initialised base; give pretrained weights, or use --strategy scratch.");
        var strategy = settings.Strategy(strategyName);
        int channels = choice.Spec.InputChannels;
        var trainLoader = Loaders.Create(trainPart, ImagePipeline.ForModel(choice.Preprocessing, channels, settings.Augmentation), choice.Preprocessing,
            training: true, settings.BatchSize, settings.Seed, ui);
        var validationLoader = validationPart is null ? null
            : Loaders.Create(validationPart, ImagePipeline.ForModel(choice.Preprocessing, channels), choice.Preprocessing, training: false, settings.BatchSize, settings.Seed, ui);

        using var network = choice.Create(ui, outputs);
        var folder = RunFolder.Create(settings.Out, "train");
        string checkpoint = folder.File(CheckpointName);
        if (!resume && File.Exists(checkpoint))
            ui.Warn($"{folder.Display} holds the checkpoint of an interrupted run; starting over replaces it (add --resume to continue that run instead).");
        if (!resume) RunOptionsRecord.Save(folder.Path, RunOptionsRecord.Of(result));
        ui.Note($"Training {choice.Spec.Name} (weights: {choice.WeightsDescription}) with {strategyName} on {trainPart.Count} images"
                + (validationPart is null ? "" : $", validating on {validationPart.Count}")
                + (regression ? $"; {outputs} regression target(s)." : $"; {outputs} classes: {string.Join(", ", source.ClassNames)}.")
                + $" Input {channels}×{choice.Preprocessing.CropSize}×{choice.Preprocessing.CropSize}. Run folder: {folder.Display}");

        LearningTask learningTask = regression ? new Regression() : new Classification();
        using var learner = new Learner(network, trainLoader, validationLoader, learningTask, settings.Options(validationLoader is not null, checkpoint));
        if (resume)
        {
            learner.Resume(checkpoint);
            ui.Note($"Resuming from {folder.DisplayFile(CheckpointName)}.");
        }
        var progress = new TrainingProgress(ui);
        progress.Attach(learner);
        var run = progress.Run(() => learner.Run(strategy, cancellation));

        var report = new MarkdownReport($"graft train: {choice.Spec.Name} on {Path.GetFileName(Path.TrimEndingDirectorySeparator(settings.Data))}")
            .Paragraph($"Command: `{CommandText.With(result)}`")
            .Paragraph($"Model {choice.Spec.Name}, weights {choice.WeightsDescription}, strategy {strategyName}; input {channels}×{choice.Preprocessing.CropSize}×{choice.Preprocessing.CropSize} "
                       + $"({choice.Preprocessing}). Data {settings.Data}: {trainPart.Count} training and {validationPart?.Count ?? 0} validation images (split {settings.ValidationSplit.ToString(CultureInfo.InvariantCulture)}, seed {settings.Seed}).");
        RunOutputs.History(folder, run, report, regression);

        if (cancellation.IsCancellationRequested || run.Phases.Any(p => p.Stop == StopReason.Requested))
        {
            report.Paragraph("The run was interrupted; resume it with the command below.").Save(folder.File("report.md"));
            return Interrupted(ui, result, folder, checkpoint, run, trainLoader.BatchesPerEpoch);
        }
        if (run.Phases.FirstOrDefault(p => !p.Succeeded) is { } diverged)
        {
            report.Paragraph($"Training diverged: {diverged.Message}").Save(folder.File("report.md"));
            ui.Show(RunTables.Phases(run), "Phases");
            throw new InvalidOperationException(diverged.Message ?? $"Phase '{diverged.Name}' diverged.");
        }

        string modelPath = folder.File("model.safetensors");
        SavedModel.Save(modelPath, network, new ModelInfo(choice.Spec.Name)
        {
            ClassNames = regression ? [] : source.ClassNames.ToArray(),
            Task = learningTask,
            Preprocessing = choice.Preprocessing.ToJson(),
            Outputs = outputs,
            HeadName = network.HeadName,
            InputChannels = channels,
        });
        MetricValues? scores = validationLoader is null ? null : learner.Evaluate(validationLoader);
        if (scores is not null) RunOutputs.Scores(folder, scores, source.ClassNames, report, "Validation");
        report.Paragraph($"Model: [model.safetensors](model.safetensors). Evaluate it with `graft evaluate --model {folder.DisplayFile("model.safetensors")} --data DIR`.")
            .Save(folder.File("report.md"));
        File.Delete(checkpoint); // the run is complete: the saved model replaces it

        if (ui.Json)
        {
            ui.WriteJson(new
            {
                RunFolder = folder.Path,
                Model = modelPath,
                Architecture = choice.Spec.Name,
                Weights = choice.WeightsDescription,
                Strategy = strategyName,
                Phases = run.Phases.Select(p => new
                {
                    p.Name,
                    Epochs = p.Epochs.Count,
                    Stop = p.Stop.ToString(),
                    Train = RunOutputs.Json(p.Last?.Train),
                    Validation = RunOutputs.Json(p.Last?.Validation),
                }),
                Validation = RunOutputs.Json(scores),
            });
            return ExitCodes.Success;
        }
        ui.Show(RunTables.Phases(run, regression ? ["loss", "mae"] : ["loss", "accuracy"]), "Training and validation, last epoch of each phase");
        ui.Line($"Model:   {folder.DisplayFile("model.safetensors")}");
        ui.Line($"Report:  {folder.DisplayFile("report.md")}");
        return ExitCodes.Success;
    }

    private static (IImageSource Train, IImageSource? Validation) Split(IImageSource source, TrainingSettings settings, ConsoleUi ui)
    {
        if (settings.ValidationSplit == 0) return (source, null);
        var (train, validation) = source.SplitTrainValidation(settings.ValidationSplit, settings.Seed);
        if (validation.Count == 0)
        {
            ui.Warn($"--val-split {settings.ValidationSplit.ToString(CultureInfo.InvariantCulture)} leaves no image for validation (each class needs at least 2); training without validation.");
            return (source, null);
        }
        return (train, validation);
    }

    private static int Interrupted(ConsoleUi ui, ParseResult result, RunFolder folder, string checkpoint, RunResult run, int stepsPerEpoch)
    {
        var last = run.Phases.LastOrDefault(p => p.Epochs.Count > 0);
        string where = last?.Last is not { } epoch ? "before the first epoch"
            : $"in phase '{last.Name}' {(epoch.Steps < stepsPerEpoch ? "during" : "after")} epoch {epoch.Epoch + 1}";
        if (!File.Exists(checkpoint))
        {
            ui.Important($"Training was interrupted {where}, before any epoch finished, so there is no checkpoint. Run the same command again to start over.");
            return ExitCodes.Failure;
        }
        string command = CommandText.With(result, ("--out", folder.Display), ("--resume", null));
        ui.Important($"Training was interrupted {where}. The checkpoint after the last finished epoch is {folder.DisplayFile(CheckpointName)}. Resume with:\n  {command}");
        return ExitCodes.Failure;
    }
}
