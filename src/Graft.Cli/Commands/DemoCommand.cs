using System.CommandLine;
using System.Globalization;
using Graft.Experiments;
using Graft.Training;

namespace Graft.Cli.Commands;

/// <summary>
/// <c>graft demo</c>: Graft's embedded default, a real transfer-learning experiment on Fashion-MNIST that runs
/// offline in minutes. <c>graft demo --pretrain-base FILE</c> reproduces the shipped base from the full dataset.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var pretrain = new Option<string?>("--pretrain-base")
        {
            Description = "Instead of the experiment, train the source-task base from the full Fashion-MNIST training set and save it to this file.",
        };
        var data = new Option<string?>("--data") { Description = "Folder with the full Fashion-MNIST files (default: GRAFT_HOME, then /usr/share/datasets/fashion-mnist)." };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of base pretraining.", DefaultValueFactory = _ => 3 };
        var seed = new Option<long>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Run Graft's transfer-learning demo on Fashion-MNIST (offline, a few minutes).")
        {
            pretrain, data, epochs, seed,
        };
        command.SetAction((result, cancellation) =>
        {
            string? baseOut = result.GetValue(pretrain);
            if (baseOut is null) throw new UsageException("the experiment itself is not wired yet; use --pretrain-base FILE.");
            return Task.FromResult(PretrainBase(baseOut, result.GetValue(data), result.GetValue(epochs), result.GetValue(seed), cancellation));
        });
        return command;
    }

    private static int PretrainBase(string path, string? data, int epochs, long seed, CancellationToken cancellation)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (model, run) = FashionMnistTransfer.PretrainBase(data, epochs, seed, learner =>
        {
            learner.StepEnded += (_, e) =>
            {
                if (e.Step % 50 == 0)
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {e.Epoch + 1} step {e.Step}/{e.StepsPerEpoch} loss {e.Loss:0.000} {e.SamplesPerSecond:0} img/s"));
            };
            learner.EpochEnded += (_, e) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e.Record.Epoch + 1}: train accuracy {e.Record["accuracy"]:0.0000}, validation accuracy {e.Record["val_accuracy"]:0.0000} ({clock.Elapsed.TotalSeconds:0} s)"));
        }, cancellation);
        var info = ModelInfo.Describe(model, new Graft.Training.Tasks.Classification()) with
        {
            ClassNames = FashionMnistTransfer.SourceClasses.Select(c => Graft.Data.FashionMnist.ClassNames[c]).ToArray(),
            Preprocessing = FashionMnistTransfer.PreprocessingJson,
            InputChannels = 1,
        };
        SavedModel.Save(path, model, info);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"saved {path}: source test accuracy {run.Last?["val_accuracy"]:0.0000} after {epochs} epochs in {clock.Elapsed.TotalSeconds:0} s"));
        Console.Out.WriteLine($"sha256 {Graft.IO.Sha256File.Compute(path)}");
        return ExitCodes.Success;
    }
}
