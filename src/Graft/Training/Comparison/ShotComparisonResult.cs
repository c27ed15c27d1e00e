namespace Graft.Training.Comparison;

/// <summary>The outcome of a <see cref="ShotComparison"/>: one row per strategy and shot count, and every run.</summary>
/// <param name="Metric">The compared test metric (<c>accuracy</c>).</param>
/// <param name="ClassNames">The classes, in label order (for confusion matrices).</param>
/// <param name="Rows">Strategy × shots, in the order the strategies and shot counts were given.</param>
/// <param name="Runs">Every finished run, in the order they ran.</param>
/// <param name="Interrupted">True when cancellation stopped the comparison before every run was done.</param>
public sealed record ShotComparisonResult(string Metric, IReadOnlyList<string> ClassNames, IReadOnlyList<ComparisonRow> Rows,
    IReadOnlyList<ComparisonRunResult> Runs, bool Interrupted)
{
    /// <summary>The run with the best test value of <see cref="Metric"/> (the first of equals), or null when none finished.</summary>
    public ComparisonRunResult? Best => Runs.Count == 0 ? null : Runs.MaxBy(r => r.Test[Metric]);

    /// <summary>The row of <paramref name="strategy"/> at <paramref name="shots"/>, or null.</summary>
    public ComparisonRow? this[string strategy, int shots] => Rows.FirstOrDefault(r => r.Strategy == strategy && r.Shots == shots);
}
