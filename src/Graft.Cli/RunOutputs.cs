using Graft.IO;
using Graft.Reports;
using Graft.Training;
using Graft.Training.Metrics;

namespace Graft.Cli;

/// <summary>The files a run folder holds, written with the library's reports: metrics.csv, charts, report sections.</summary>
internal static class RunOutputs
{
    /// <summary>Writes <c>metrics.csv</c> (one row per epoch and phase) and a learning-curve chart per metric shown;
    /// adds them to <paramref name="report"/>.</summary>
    public static void History(RunFolder folder, RunResult run, MarkdownReport report, bool regression)
    {
        AtomicFile.WriteAllText(folder.File("metrics.csv"), RunTables.Epochs(run).ToCsv());
        string[] shown = regression ? ["loss", "mae", "rmse", "r2"] : ["loss", "accuracy", "macro_f1"];
        report.Heading("Training history").Add(RunTables.Phases(run, shown)).Paragraph("Every epoch of every phase: [metrics.csv](metrics.csv).");
        if (run.Phases.All(p => p.Epochs.Count == 0)) return;
        string[] metrics = regression ? ["loss", "mae"] : ["loss", "accuracy"];
        foreach (var metric in metrics)
        {
            string file = $"{metric}.png";
            string boundary = run.Phases.Count > 1 ? " (dashed line: where the next phase starts)" : "";
            Charts.LearningCurves(folder.File(file), $"{metric} per epoch", run, metric);
            report.Image($"{metric} per epoch{boundary}", file);
        }
    }

    /// <summary>Adds a model's scores on some data to <paramref name="report"/>: the scalars, and for classification the
    /// per-class table, the confusion matrix as a table and as <c>confusion.png</c>.</summary>
    public static void Scores(RunFolder folder, MetricValues scores, IReadOnlyList<string> classNames, MarkdownReport report, string title)
    {
        report.Heading(title).Add(RunTables.Scores(scores));
        if (scores.Confusion is not { } confusion || classNames.Count != confusion.Classes) return;
        report.Heading("Per class").Add(RunTables.PerClass(confusion, classNames));
        report.Heading("Confusion matrix").Paragraph("Rows are true classes, columns predicted ones.").Add(RunTables.Confusion(confusion, classNames));
        Charts.ConfusionMatrix(folder.File("confusion.png"), $"Confusion matrix ({title.ToLowerInvariant()})", confusion.ToArray(), classNames);
        report.Image("confusion matrix", "confusion.png");
    }

    /// <summary>Shows scores on the console: a table of the scalars and, for classification, the per-class table.</summary>
    public static void Show(ConsoleUi ui, MetricValues scores, IReadOnlyList<string> classNames, string title, bool perClass)
    {
        ui.Show(RunTables.Scores(scores), title);
        if (perClass && scores.Confusion is { } confusion && classNames.Count == confusion.Classes)
        {
            ui.Show(RunTables.PerClass(confusion, classNames), "Per class");
            ui.Show(RunTables.Confusion(confusion, classNames), "Confusion matrix (rows: true, columns: predicted)");
        }
    }

    /// <summary>Scalars of <paramref name="values"/> as a dictionary for JSON (NaN becomes null).</summary>
    public static Dictionary<string, double?> Json(MetricValues? values) =>
        values is null ? [] : values.Scalars.ToDictionary(kv => kv.Key, kv => double.IsFinite(kv.Value) ? kv.Value : (double?)null);
}
