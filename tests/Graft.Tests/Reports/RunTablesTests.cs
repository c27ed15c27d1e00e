using Graft.Reports;
using Graft.Training;
using Graft.Training.Comparison;
using Graft.Training.Metrics;
using Graft.Training.Strategies;

namespace Graft.Tests.Reports;

public class RunTablesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graft-runtables-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static MetricValues Values(double loss, double accuracy)
    {
        var values = new MetricValues { Samples = 10 };
        values.Set("loss", loss);
        values.Set("accuracy", accuracy);
        return values;
    }

    private static RunResult TwoPhaseRun() => new("fine-tune",
    [
        new PhaseResult("head", [
            new EpochRecord("head", 0, Values(1.0, 0.5), Values(1.1, 0.4), 1e-3, TimeSpan.FromSeconds(2), 0, 5),
            new EpochRecord("head", 1, Values(0.8, 0.6), Values(0.9, 0.55), 1e-3, TimeSpan.FromSeconds(2), 1, 5),
        ], StopReason.Completed, null, 1, true),
        new PhaseResult("fine-tune", [
            new EpochRecord("fine-tune", 0, Values(0.6, 0.7), null, 1e-4, TimeSpan.FromSeconds(3), 0, 2),
        ], StopReason.Requested, null, null, false),
    ]);

    [Fact]
    public void EpochsHaveOneRowPerEpochAndPhaseWithRunWideNumbering()
    {
        var table = RunTables.Epochs(TwoPhaseRun());

        Assert.Equal(["phase", "epoch", "run_epoch", "loss", "accuracy", "val_loss", "val_accuracy", "learning_rate", "seconds", "skipped_samples"], table.Headers);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(["head", "2", "2", "0.8", "0.6", "0.9", "0.55", "0.001", "2", "1"], table.Rows[1]);
        Assert.Equal(["fine-tune", "1", "3", "0.6", "0.7", "", ""], table.Rows[2].Take(7));
        Assert.StartsWith("phase,epoch,run_epoch,loss", table.ToCsv(), StringComparison.Ordinal);
    }

    [Fact]
    public void PhasesShowTheLastEpochAndWhyEachPhaseStopped()
    {
        var table = RunTables.Phases(TwoPhaseRun(), "accuracy");

        Assert.Equal(["phase", "epochs", "stopped", "accuracy", "val_accuracy", "seconds"], table.Headers);
        Assert.Equal(["head", "2", "completed", "0.6", "0.55", "4"], table.Rows[0]);
        Assert.Equal(["fine-tune", "1", "interrupted", "0.7", "", "3"], table.Rows[1]);
    }

    [Fact]
    public void PerClassAndConfusionTablesComeFromTheMatrix()
    {
        var confusion = ConfusionMatrix.FromCounts([[8, 2], [1, 9]]);
        var perClass = RunTables.PerClass(confusion, ["cat", "dog"]);
        Assert.Equal(["cat", "0.8889", "0.8", "0.8421", "10"], perClass.Rows[0]);
        var matrix = RunTables.Confusion(confusion, ["cat", "dog"]);
        Assert.Equal(["dog", "1", "9"], matrix.Rows[1]);
        Assert.Throws<ArgumentException>(() => RunTables.PerClass(confusion, ["cat"]));
    }

    [Fact]
    public void ARunsLearningCurvesAndAComparisonChartAreRealPngs()
    {
        string curves = Path.Combine(_folder, "loss.png");
        Charts.LearningCurves(curves, "loss", TwoPhaseRun(), "loss");
        ReportsTests.AssertRealPng(curves, 800, 500);

        var scratch = new Scratch();
        var tune = new FineTune();
        var run = TwoPhaseRun();
        ComparisonRunResult Result(Strategy s, int k, int seed, double accuracy) =>
            new(new ComparisonRun(s, k, seed), run, Values(0.5, accuracy), TimeSpan.FromSeconds(1), 100);
        var result = new ShotComparisonResult("accuracy", ["a", "b"],
            [new ComparisonRow("scratch", 5, 0.5, 0.05, 1.5, 1000, 2), new ComparisonRow("fine-tune", 5, 0.8, 0.02, 2.5, 400, 2),
             new ComparisonRow("scratch", 20, 0.6, 0.04, 3, 1000, 2), new ComparisonRow("fine-tune", 20, 0.9, 0.01, 4, 400, 2)],
            [Result(scratch, 5, 0, 0.5), Result(tune, 20, 0, 0.91), Result(tune, 20, 1, 0.89)], Interrupted: false);

        string shots = Path.Combine(_folder, "shots.png");
        Charts.AccuracyVsShots(shots, "accuracy vs shots", result);
        ReportsTests.AssertRealPng(shots, 800, 500);
        var table = RunTables.Comparison(result);
        Assert.Equal(["fine-tune", "5", "0.800 ± 0.020", "2", "2.5", "400"], table.Rows[1]);
        Assert.Equal(0.91, result.Best!.Test["accuracy"]);
        Assert.Equal(0.9, result["fine-tune", 20]!.Mean);
    }
}
