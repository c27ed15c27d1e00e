using System.CommandLine;
using System.Globalization;
using Graft.Experiments;
using Graft.Reports;
using Graft.Training;
using Spectre.Console;
using Table = Graft.Reports.Table;

namespace Graft.Cli.Commands;

/// <summary>
/// <c>graft demo</c>: Graft's embedded default, a real transfer-learning experiment on Fashion-MNIST that runs
/// offline in minutes (see <see cref="FashionMnistDemo"/>). <c>graft demo --pretrain-base FILE</c> reproduces the
/// shipped base from the full dataset.
/// </summary>
public static class DemoCommand
{
    public static Command Create(Option<bool> quietOption, Option<bool> jsonOption)
    {
        var pretrain = new Option<string?>("--pretrain-base")
        {
            Description = "Instead of the experiment, train the source-task base from the full Fashion-MNIST training set and save it to this file.",
        };
        var data = new Option<string?>("--data") { Description = "Folder holding the full Fashion-MNIST files (an error if it does not; without --data: GRAFT_HOME, then /usr/share/datasets/fashion-mnist, else the subset shipped in the repository)." };
        var baseModel = new Option<string?>("--base") { Description = "The pretrained source-task base (default: the one shipped in data/fashion-mnist)." };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of base pretraining (with --pretrain-base).", DefaultValueFactory = _ => 3 };
        var seed = new Option<long>("--seed") { Description = "Random seed of base pretraining (with --pretrain-base).", DefaultValueFactory = _ => 0 };
        var shots = new Option<string>("--shots") { Description = "Labelled images per class, comma-separated.", DefaultValueFactory = _ => "5,20,100" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per k (each draws its own subset).", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "Run folder (default runs/demo-<time>)." };
        var command = new Command("demo", "Run Graft's transfer-learning demo on Fashion-MNIST: scratch vs feature extraction vs fine-tuning with k labelled images per class (offline, a few minutes).")
        {
            pretrain, data, baseModel, epochs, seed, shots, seeds, output,
        };
        command.SetAction((result, cancellation) =>
        {
            var ui = new ConsoleUi(Console.Out, Console.Error, result.GetValue(quietOption), result.GetValue(jsonOption));
            RequireDataFolder(result.GetValue(data));
            string? baseOut = result.GetValue(pretrain);
            if (baseOut is not null)
                return Task.FromResult(PretrainBase(ui, baseOut, result.GetValue(data), result.GetValue(epochs), result.GetValue(seed), cancellation));
            var options = new DemoOptions
            {
                BasePath = result.GetValue(baseModel) ?? Shipped(FashionMnistTransfer.ShippedBaseFile),
                DataFolder = result.GetValue(data),
                ShippedDataFolder = Shipped(FashionMnistTransfer.ShippedDataFolder),
                Shots = ParseShots(result.GetValue(shots)!),
                Seeds = Enumerable.Range(0, Math.Max(1, result.GetValue(seeds))).ToArray(),
            };
            string folder = result.GetValue(output) ?? Path.Combine("runs", "demo-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            return Task.FromResult(RunExperiment(ui, options, folder, cancellation));
        });
        return command;
    }

    // A folder named with --data must hold the dataset: a typo must not silently fall back to another copy.
    private static void RequireDataFolder(string? folder)
    {
        if (folder is null) return;
        if (!Directory.Exists(folder))
            throw new UsageException($"--data: the folder '{folder}' does not exist. Leave --data out to use GRAFT_HOME, " +
                                     "/usr/share/datasets/fashion-mnist or the subset shipped in the repository.");
        if (!Graft.Data.FashionMnist.Holds(folder))
            throw new UsageException($"--data: '{folder}' does not hold Fashion-MNIST's four files (" +
                                     string.Join(", ", Graft.Data.FashionMnist.Files.Select(f => f.FileName)) + ").");
    }

    private static int RunExperiment(ConsoleUi ui, DemoOptions options, string folder, CancellationToken cancellation)
    {
        if (!File.Exists(options.BasePath))
            throw new UsageException($"the pretrained base '{options.BasePath}' does not exist. Run from the repository root, pass --base FILE, " +
                                     "or make one with: graft demo --pretrain-base FILE");
        int total = options.Shots.Count * options.Seeds.Count * options.Strategies.Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ui.Note($"Fashion-MNIST transfer: base pretrained on {string.Join(", ", FashionMnistTransfer.SourceClasses.Select(c => Graft.Data.FashionMnist.ClassNames[c]))}; " +
                $"target {string.Join(", ", FashionMnistTransfer.TargetClasses.Select(c => Graft.Data.FashionMnist.ClassNames[c]))}; " +
                $"k = {string.Join(", ", options.Shots)}, {options.Seeds.Count} seeds, {total} runs, each evaluated on 5,000 test images.");
        DemoResult result;
        if (ui.ShowProgress)
        {
            result = AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("demo runs", maxValue: total);
                    return FashionMnistDemo.Run(options, run =>
                    {
                        task.Description = $"{run.Strategy} k={run.K} seed={run.Seed}: {run.Accuracy:0.000}";
                        task.Increment(1);
                    }, cancellation);
                });
        }
        else
        {
            int done = 0;
            result = FashionMnistDemo.Run(options, run => ui.Note(string.Create(CultureInfo.InvariantCulture,
                $"[{++done}/{total}] {run.Strategy,-18} k={run.K,-3} seed={run.Seed}: accuracy {run.Accuracy:0.0000} (trained in {run.TrainSeconds:0.0} s)")),
                cancellation);
        }

        var table = new Table("strategy", "k", "accuracy (mean ± std)", "train seconds");
        foreach (var row in result.Rows)
            table.Add(row.Strategy, row.K, string.Create(CultureInfo.InvariantCulture, $"{row.Mean:0.000} ± {row.Std:0.000}"),
                row.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        WriteRunFolder(folder, result, table, options, clock.Elapsed);
        if (ui.Json)
        {
            foreach (var row in result.Rows)
                ui.WriteJson(new { strategy = row.Strategy, k = row.K, mean = Math.Round(row.Mean, 4), std = Math.Round(row.Std, 4), seconds = Math.Round(row.Seconds, 2) });
        }
        else
        {
            ui.Show(table, "Target-task test accuracy (5,000 images)");
            ui.Line($"Data: {result.DataSource}. Run folder: {folder} (report.md, charts). Total time {clock.Elapsed.TotalSeconds:0} s.");
        }
        return ExitCodes.Success;
    }

    private static void WriteRunFolder(string folder, DemoResult result, Table table, DemoOptions options, TimeSpan elapsed)
    {
        Directory.CreateDirectory(folder);
        var byStrategy = result.Rows.GroupBy(r => r.Strategy).ToDictionary(g => g.Key,
            g => (IReadOnlyList<MeanPoint>)g.Select(r => new MeanPoint(r.K, r.Mean, r.Std)).ToList());
        Charts.AccuracyVsShots(Path.Combine(folder, "accuracy-vs-k.png"), "Target test accuracy vs labelled images per class", byStrategy);

        // Learning curves of one representative run per strategy: the largest k, seed 0.
        int k = options.Shots.Max();
        var series = new List<Series>();
        var boundaries = new List<(double, string)>();
        foreach (var run in result.Runs.Where(r => r.K == k && r.Seed == options.Seeds[0]))
        {
            var epochs = run.History.Phases.SelectMany(p => p.Epochs).ToList();
            series.Add(new Series($"{run.Strategy} (train loss)", epochs.Select((_, i) => (double)(i + 1)).ToArray(),
                epochs.Select(e => e.Train["loss"]).ToArray()));
            if (run.History.Phases.Count > 1)
                boundaries.Add((run.History.Phases[0].Epochs.Count + 0.5, "fine-tuning starts"));
        }
        Charts.LearningCurves(Path.Combine(folder, "learning-curves.png"), $"Training loss, k = {k}, seed {options.Seeds[0]}", "loss", series, boundaries);

        var best = result.Runs.MaxBy(r => r.Accuracy)!;
        Charts.ConfusionMatrix(Path.Combine(folder, "confusion-best.png"),
            $"Best run: {best.Strategy}, k = {best.K}, seed {best.Seed} ({best.Accuracy:0.000})", best.Confusion, result.ClassNames);

        var runs = new Table("strategy", "k", "seed", "accuracy", "train seconds");
        foreach (var run in result.Runs) runs.Add(run.Strategy, run.K, run.Seed, run.Accuracy, run.TrainSeconds);
        Graft.IO.AtomicFile.WriteAllText(Path.Combine(folder, "runs.csv"), runs.ToCsv());
        Graft.IO.AtomicFile.WriteAllText(Path.Combine(folder, "results.csv"), table.ToCsv());

        new MarkdownReport("Graft demo: transfer learning on Fashion-MNIST")
            .Paragraph($"Base: `{options.BasePath}` (resnet_mini pretrained on T-shirt/top, Trouser, Pullover, Dress, Coat). " +
                       $"Target: Sandal, Shirt, Sneaker, Bag, Ankle boot, with k labelled training images per class; each run is evaluated on all 5,000 target test images. Data: {result.DataSource}.")
            .Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"Every strategy trains the same network: resnet_mini's convolutional layers under a head that {(options.HeadGrid == 1 ? "averages the last feature maps" : $"averages the last feature maps over a {options.HeadGrid}x{options.HeadGrid} grid")} before one linear layer. " +
                $"Protocol: scratch {options.ScratchSteps} steps AdamW one-cycle 2e-3; feature extraction {options.HeadSteps} steps on cached features, one-cycle 1e-2; " +
                $"fine-tune = the same head, then {options.FineTuneSteps} steps at {1e-2 / options.FineTuneDivisor:G2}{(options.FineTuneOneCycle ? " (one-cycle)" : "")} with " +
                $"{(options.UnfreezeTop is int n ? $"the top {n} base layer(s)" : "the whole base")} unfrozen and BatchNorm {(options.FineTuneBatchNormTraining ? "adapting" : "in inference mode")}. " +
                $"No augmentation. Total time {elapsed.TotalSeconds:0} s on {Environment.ProcessorCount} cores."))
            .Heading("Results").Add(table)
            .Image("accuracy vs k", "accuracy-vs-k.png")
            .Image("learning curves", "learning-curves.png")
            .Image("confusion matrix of the best run", "confusion-best.png")
            .Heading("Every run").Add(runs)
            .Save(Path.Combine(folder, "report.md"));
    }

    private static int PretrainBase(ConsoleUi ui, string path, string? data, int epochs, long seed, CancellationToken cancellation)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (model, run) = FashionMnistTransfer.PretrainBase(data, epochs, seed, learner =>
        {
            learner.StepEnded += (_, e) =>
            {
                if (e.Step % 50 == 0)
                    ui.Note(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {e.Epoch + 1} step {e.Step}/{e.StepsPerEpoch} loss {e.Loss:0.000} {e.SamplesPerSecond:0} img/s"));
            };
            learner.EpochEnded += (_, e) => ui.Note(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e.Record.Epoch + 1}: train accuracy {e.Record["accuracy"]:0.0000}, validation accuracy {e.Record["val_accuracy"]:0.0000} ({clock.Elapsed.TotalSeconds:0} s)"));
        }, cancellation);
        var info = ModelInfo.Describe(model, new Graft.Training.Tasks.Classification()) with
        {
            ClassNames = FashionMnistTransfer.SourceClasses.Select(c => Graft.Data.FashionMnist.ClassNames[c]).ToArray(),
            Preprocessing = FashionMnistTransfer.PreprocessingJson,
            InputChannels = 1,
        };
        SavedModel.Save(path, model, info);
        ui.Line(string.Create(CultureInfo.InvariantCulture,
            $"saved {path}: source test accuracy {run.Last?["val_accuracy"]:0.0000} after {epochs} epochs in {clock.Elapsed.TotalSeconds:0} s"));
        ui.Line($"sha256 {Graft.IO.Sha256File.Compute(path)}");
        return ExitCodes.Success;
    }

    private static IReadOnlyList<int> ParseShots(string text)
    {
        var shots = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1 || k > FashionMnistTransfer.PoolPerClass)
                throw new UsageException($"--shots takes whole numbers from 1 to {FashionMnistTransfer.PoolPerClass} separated by commas; '{part}' is not one.");
            shots.Add(k);
        }
        if (shots.Count == 0) throw new UsageException("--shots needs at least one number, e.g. --shots 5,20,100.");
        return shots;
    }

    // Shipped files are found from the current folder, or from the executable's folder upwards (dotnet run, tests).
    private static string Shipped(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
            }
        return relative;
    }
}
