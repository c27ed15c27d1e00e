using Graft.IO;
using Graft.Training;
using Graft.Training.Comparison;
using ScottPlot;

namespace Graft.Reports;

/// <summary>One line of a chart: a name and its points.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>One point with a spread, for charts of means over seeds.</summary>
public sealed record MeanPoint(double X, double Mean, double Std);

/// <summary>
/// The PNG charts Graft writes into a run folder: learning curves (with the boundary between feature extraction
/// and fine-tuning marked), confusion matrices and accuracy against the number of labelled examples.
/// Every file is written atomically.
/// </summary>
public static class Charts
{
    private const int Width = 900, Height = 560;

    /// <summary>
    /// Learning curves: one line per series against the epoch, with a dashed vertical line at each phase
    /// boundary (e.g. where fine-tuning starts), labelled.
    /// </summary>
    public static void LearningCurves(string path, string title, string yLabel, IEnumerable<Series> series,
        IEnumerable<(double Epoch, string Label)>? phaseBoundaries = null)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            if (s.X.Count == 0) continue;
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            line.LegendText = s.Name;
            line.MarkerSize = 5;
        }
        foreach (var (epoch, label) in phaseBoundaries ?? [])
        {
            var boundary = plot.Add.VerticalLine(epoch);
            boundary.LinePattern = LinePattern.Dashed;
            boundary.Text = label;
            boundary.LabelOppositeAxis = true;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, Width, Height);
    }

    /// <summary>
    /// Learning curves of one metric over a whole run: the training and validation values (<paramref name="metric"/>
    /// and <c>val_</c><paramref name="metric"/>) against the epoch counted across phases, with a labelled boundary
    /// where each phase after the first starts (e.g. fine-tuning after the head).
    /// </summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="run">The run's history.</param>
    /// <param name="metric">The metric without <c>val_</c>: <c>loss</c>, <c>accuracy</c>, <c>mae</c>, ….</param>
    public static void LearningCurves(string path, string title, RunResult run, string metric)
    {
        ArgumentNullException.ThrowIfNull(run);
        var train = (X: new List<double>(), Y: new List<double>());
        var validation = (X: new List<double>(), Y: new List<double>());
        var boundaries = new List<(double, string)>();
        int epoch = 0;
        foreach (var phase in run.Phases)
        {
            if (epoch > 0 && phase.Epochs.Count > 0) boundaries.Add((epoch + 0.5, phase.Name));
            foreach (var record in phase.Epochs)
            {
                epoch++;
                if (record.Has(metric)) { train.X.Add(epoch); train.Y.Add(record[metric]); }
                if (record.Has("val_" + metric)) { validation.X.Add(epoch); validation.Y.Add(record["val_" + metric]); }
            }
        }
        LearningCurves(path, title, metric.Replace('_', ' '),
            [new Series("training", train.X, train.Y), new Series("validation", validation.X, validation.Y)], boundaries);
    }

    /// <summary>A confusion matrix as a heat map with counts in the cells; rows are true classes.</summary>
    /// <exception cref="ArgumentException">When the matrix is not square or does not match the labels.</exception>
    public static void ConfusionMatrix(string path, string title, long[,] counts, IReadOnlyList<string> labels)
    {
        int n = counts.GetLength(0);
        if (n != counts.GetLength(1) || n != labels.Count)
            throw new ArgumentException($"A confusion matrix of {counts.GetLength(0)}x{counts.GetLength(1)} does not fit {labels.Count} class names.");
        var plot = new Plot();
        var shares = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            long total = 0;
            for (int c = 0; c < n; c++) total += counts[r, c];
            for (int c = 0; c < n; c++) shares[r, c] = total == 0 ? 0 : (double)counts[r, c] / total;
        }
        var map = plot.Add.Heatmap(shares);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        // Heat maps draw row 0 at the top: cell (r, c) is centred on x = c, y = n - 1 - r.
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                var text = plot.Add.Text(counts[r, c].ToString(), c, n - 1 - r);
                text.LabelFontColor = shares[r, c] > 0.5 ? Colors.Black : Colors.White;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions, labels.Reverse().ToArray());
        plot.Add.ColorBar(map);
        plot.Title(title);
        plot.XLabel("predicted");
        plot.YLabel("true");
        int side = Math.Max(520, 90 * n + 160);
        Save(plot, path, side + 120, side);
    }

    /// <summary>Mean accuracy (with ±1 std error bars) against the number of labelled examples per class.</summary>
    public static void AccuracyVsShots(string path, string title, IReadOnlyDictionary<string, IReadOnlyList<MeanPoint>> strategies)
    {
        var plot = new Plot();
        var allShots = new SortedSet<double>();
        foreach (var (name, points) in strategies)
        {
            if (points.Count == 0) continue;
            var ordered = points.OrderBy(p => p.X).ToArray();
            // Shots grow geometrically (5, 20, 100): a log2 axis spaces them evenly.
            double[] xs = ordered.Select(p => Math.Log2(p.X)).ToArray();
            var line = plot.Add.Scatter(xs, ordered.Select(p => p.Mean).ToArray());
            line.LegendText = name;
            line.MarkerSize = 7;
            var bars = plot.Add.ErrorBar(xs, ordered.Select(p => p.Mean).ToArray(), ordered.Select(p => p.Std).ToArray());
            bars.Color = line.Color;
            foreach (var p in ordered) allShots.Add(p.X);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            allShots.Select(Math.Log2).ToArray(), allShots.Select(s => s.ToString("0")).ToArray());
        plot.Title(title);
        plot.XLabel("labelled examples per class");
        plot.YLabel("accuracy");
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, Width, Height);
    }

    /// <summary>A shot comparison's rows as <see cref="AccuracyVsShots(string, string, IReadOnlyDictionary{string, IReadOnlyList{MeanPoint}})"/> draws them: one line per strategy.</summary>
    public static void AccuracyVsShots(string path, string title, ShotComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var strategies = new Dictionary<string, IReadOnlyList<MeanPoint>>();
        foreach (var group in result.Rows.GroupBy(r => r.Strategy))
            strategies[group.Key] = group.Select(r => new MeanPoint(r.Shots, r.Mean, r.Std)).ToList();
        AccuracyVsShots(path, title, strategies);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
