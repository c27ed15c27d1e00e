using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training.Metrics;

/// <summary>
/// Counts of (actual, predicted) class pairs over a dataset, with per-class precision, recall and F1 and their
/// macro averages. Rows are actual classes, columns predicted ones. The class count is taken from the model's
/// output width at the first update unless given.
/// </summary>
public sealed class ConfusionMatrix : Metric
{
    private long[,] _counts;

    /// <summary>Creates a matrix for <paramref name="classes"/> classes (0: learn it from the first batch).</summary>
    public ConfusionMatrix(int classes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classes);
        _counts = new long[classes, classes];
    }

    /// <inheritdoc/>
    public override string Name => "confusion";

    /// <summary>Number of classes.</summary>
    public int Classes => _counts.GetLength(0);

    /// <summary>Samples of actual class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Samples counted.</summary>
    public long Total { get; private set; }

    /// <inheritdoc/>
    public override void Reset()
    {
        _counts = new long[Classes, Classes];
        Total = 0;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">When a target is outside the class range.</exception>
    public override void Update(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        if (Classes == 0) _counts = new long[output.shape[1], output.shape[1]];
        int n = Classes;
        var actual = target.to_type(ScalarType.Int64);
        // One pass, no extra read-back per batch (this runs every training step): a target outside [0, n) shows
        // as a pair index below 0 (bincount refuses it) or a count vector longer than n².
        using Scalar classes = n;
        Tensor pairs;
        try
        {
            pairs = actual.mul(classes).add_(output.argmax(1), alpha: Native.Scalars.One).bincount(null, n * n).cpu();
        }
        catch (ExternalException)
        {
            // Only a target outside the classes is reported as such; any other failure keeps its own message.
            if (RangeError(actual, n) is { } error) throw error;
            throw;
        }
        if (pairs.shape[0] != n * n) throw RangeError(actual, n)!;
        var counts = pairs.data<long>().ToArray();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                _counts[i, j] += counts[i * n + j];
        Total += target.shape[0];
    }

    // The error for targets outside [0, n), or null when they all lie inside.
    private static ArgumentException? RangeError(Tensor actual, int n)
    {
        long min = actual.min().item<long>(), max = actual.max().item<long>();
        return min >= 0 && max < n ? null
            : new ArgumentException($"Targets range over [{min}, {max}], outside the {n} classes of the confusion matrix.", "target");
    }

    /// <summary>Of the samples predicted as <paramref name="c"/>, the share that are (0 when none are predicted).</summary>
    public double Precision(int c)
    {
        long predicted = 0;
        for (int i = 0; i < Classes; i++) predicted += _counts[i, c];
        return predicted == 0 ? 0 : _counts[c, c] / (double)predicted;
    }

    /// <summary>Of the samples of class <paramref name="c"/>, the share predicted as such (0 when there are none).</summary>
    public double Recall(int c)
    {
        long actual = 0;
        for (int j = 0; j < Classes; j++) actual += _counts[c, j];
        return actual == 0 ? 0 : _counts[c, c] / (double)actual;
    }

    /// <summary>Harmonic mean of precision and recall of class <paramref name="c"/>.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 => Classes == 0 ? double.NaN : Enumerable.Range(0, Classes).Average(F1);

    /// <summary>A matrix holding <paramref name="counts"/> (rows actual, columns predicted).</summary>
    /// <exception cref="ArgumentException">When the rows are not all as long as there are rows.</exception>
    public static ConfusionMatrix FromCounts(long[][] counts)
    {
        int n = counts.Length;
        if (counts.Any(r => r.Length != n)) throw new ArgumentException($"A confusion matrix of {n} classes needs {n} counts per row.", nameof(counts));
        var matrix = new ConfusionMatrix(n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                matrix._counts[i, j] = counts[i][j];
                matrix.Total += counts[i][j];
            }
        return matrix;
    }

    /// <summary>A copy of the counts.</summary>
    public long[,] ToArray() => (long[,])_counts.Clone();

    /// <inheritdoc/>
    public override void WriteTo(MetricValues values)
    {
        var copy = new ConfusionMatrix(Classes);
        copy._counts = ToArray();
        copy.Total = Total;
        values.Confusion = copy;
        values.Set("macro_f1", MacroF1);
        values.Set("macro_precision", Classes == 0 ? double.NaN : Enumerable.Range(0, Classes).Average(Precision));
        values.Set("macro_recall", Classes == 0 ? double.NaN : Enumerable.Range(0, Classes).Average(Recall));
    }
}
