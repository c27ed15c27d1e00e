using System.Globalization;
using Graft.Training;
using Graft.Training.Comparison;
using Graft.Training.Metrics;

namespace Graft.Reports;

/// <summary>
/// The tables a training run is reported with: every epoch of every phase (a run folder's <c>metrics.csv</c>), the
/// last epoch of each phase, and a model's scores on one data set.
/// </summary>
public static class RunTables
{
    /// <summary>
    /// One row per epoch and phase: <c>phase</c>, <c>epoch</c> (1-based within the phase), <c>run_epoch</c> (1-based
    /// across phases), every training metric, every validation metric (<c>val_</c>…), the head's learning rate,
    /// seconds, and skipped samples. A metric an epoch lacks is left empty.
    /// </summary>
    public static Table Epochs(RunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var epochs = run.Phases.SelectMany(p => p.Epochs).ToList();
        var train = MetricNames(epochs.Select(e => e.Train));
        var validation = MetricNames(epochs.Select(e => e.Validation).OfType<MetricValues>());
        var table = new Table(["phase", "epoch", "run_epoch", .. train, .. validation.Select(n => "val_" + n), "learning_rate", "seconds", "skipped_samples"]);
        int runEpoch = 0;
        foreach (var e in epochs)
        {
            var cells = new List<object?> { e.Phase, e.Epoch + 1, ++runEpoch };
            cells.AddRange(train.Select(n => Value(e.Train, n)));
            cells.AddRange(validation.Select(n => e.Validation is null ? null : Value(e.Validation, n)));
            cells.Add(e.LearningRate.ToString("G4", CultureInfo.InvariantCulture));
            cells.Add(Math.Round(e.Duration.TotalSeconds, 2));
            cells.Add(e.DataErrors);
            table.Add(cells.ToArray());
        }
        return table;
    }

    /// <summary>
    /// One row per phase: how many epochs it ran, why it stopped, and the training and validation values of
    /// <paramref name="metrics"/> at its last epoch (validation empty when there was none).
    /// </summary>
    /// <param name="run">The run.</param>
    /// <param name="metrics">Metric names without <c>val_</c> (<c>loss</c>, <c>accuracy</c>); those the run has, when empty.</param>
    public static Table Phases(RunResult run, params string[] metrics)
    {
        ArgumentNullException.ThrowIfNull(run);
        var names = metrics.Length > 0 ? metrics : MetricNames(run.Phases.Select(p => p.Last).OfType<EpochRecord>().Select(e => e.Train)).ToArray();
        var table = new Table(["phase", "epochs", "stopped", .. names.SelectMany(n => new[] { n, "val_" + n }), "seconds"]);
        foreach (var phase in run.Phases)
        {
            var last = phase.Last;
            var cells = new List<object?> { phase.Name, phase.Epochs.Count, Describe(phase.Stop) };
            foreach (var n in names)
            {
                cells.Add(last is not null && last.Has(n) ? last[n] : null);
                cells.Add(last is not null && last.Has("val_" + n) ? last["val_" + n] : null);
            }
            cells.Add(Math.Round(phase.Epochs.Sum(e => e.Duration.TotalSeconds), 1));
            table.Add(cells.ToArray());
        }
        return table;
    }

    /// <summary>Every scalar of <paramref name="values"/> (loss first), one row each, with the sample count.</summary>
    public static Table Scores(MetricValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var table = new Table("metric", "value");
        foreach (var name in MetricNames([values])) table.Add(name, values[name]);
        table.Add("samples", values.Samples);
        return table;
    }

    /// <summary>Precision, recall, F1 and support (true samples) of each class, from a confusion matrix.</summary>
    /// <exception cref="ArgumentException">When the class names do not match the matrix.</exception>
    public static Table PerClass(ConfusionMatrix confusion, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        CheckNames(confusion, classNames);
        var table = new Table("class", "precision", "recall", "f1", "support");
        for (int c = 0; c < confusion.Classes; c++)
        {
            long support = 0;
            for (int p = 0; p < confusion.Classes; p++) support += confusion[c, p];
            table.Add(classNames[c], confusion.Precision(c), confusion.Recall(c), confusion.F1(c), support);
        }
        return table;
    }

    /// <summary>The confusion matrix as a table: one row per true class, one column per predicted class.</summary>
    /// <exception cref="ArgumentException">When the class names do not match the matrix.</exception>
    public static Table Confusion(ConfusionMatrix confusion, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        CheckNames(confusion, classNames);
        var table = new Table(["true \\ predicted", .. classNames]);
        for (int c = 0; c < confusion.Classes; c++)
            table.Add([classNames[c], .. Enumerable.Range(0, confusion.Classes).Select(p => (object?)confusion[c, p])]);
        return table;
    }

    /// <summary>
    /// A shot comparison as one table: strategy, shots, the metric's mean ± standard deviation over the seeds,
    /// seeds run, mean training seconds per run and trainable parameters.
    /// </summary>
    public static Table Comparison(ShotComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new Table("strategy", "shots", result.Metric, "seeds", "seconds", "trainable parameters");
        foreach (var row in result.Rows)
            table.Add(row.Strategy, row.Shots,
                string.Create(CultureInfo.InvariantCulture, $"{row.Mean:0.000} ± {row.Std:0.000}"),
                row.Runs, Math.Round(row.Seconds, 1), row.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>One row per run of a shot comparison: strategy, shots, seed, the test metric, seconds, trainable
    /// parameters and epochs trained.</summary>
    public static Table Runs(ShotComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new Table("strategy", "shots", "seed", "test_" + result.Metric, "seconds", "trainable_parameters", "epochs");
        foreach (var run in result.Runs)
            table.Add(run.Run.Strategy.Name, run.Run.Shots, run.Run.Seed, run.Test[result.Metric], Math.Round(run.Duration.TotalSeconds, 2),
                run.TrainableParameters, run.History.Phases.Sum(p => p.Epochs.Count));
        return table;
    }

    /// <summary><see cref="Epochs(RunResult)"/> of every run of a shot comparison, each row prefixed with the run's
    /// strategy, shots and seed.</summary>
    public static Table Epochs(ShotComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parts = result.Runs.Select(r => (r.Run, Table: Epochs(r.History))).ToList();
        var columns = new List<string>();
        foreach (var header in parts.SelectMany(p => p.Table.Headers))
            if (!columns.Contains(header)) columns.Add(header);
        var table = new Table(["strategy", "shots", "seed", .. columns]);
        foreach (var (run, epochs) in parts)
            foreach (var row in epochs.Rows)
                table.Add([run.Strategy.Name, run.Shots, run.Seed,
                    .. columns.Select(c => epochs.Headers.ToList().IndexOf(c) is var i and >= 0 ? row[i] : (object?)null)]);
        return table;
    }

    private static List<string> MetricNames(IEnumerable<MetricValues> values)
    {
        var names = new List<string>();
        foreach (var v in values)
            foreach (var name in v.Scalars.Keys)
                if (!names.Contains(name)) names.Add(name);
        if (names.Remove("loss")) names.Insert(0, "loss");
        return names;
    }

    private static object? Value(MetricValues values, string name) => values.Contains(name) ? values[name] : null;

    private static string Describe(StopReason stop) => stop switch
    {
        StopReason.Completed => "completed",
        StopReason.EarlyStopped => "early stop",
        StopReason.Requested => "interrupted",
        StopReason.Diverged => "diverged",
        _ => stop.ToString(),
    };

    private static void CheckNames(ConfusionMatrix confusion, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != confusion.Classes)
            throw new ArgumentException($"The confusion matrix has {confusion.Classes} classes but {classNames.Count} class names were given.", nameof(classNames));
    }
}
