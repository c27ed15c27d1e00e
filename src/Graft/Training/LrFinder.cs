using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>Settings of the learning-rate finder.</summary>
/// <param name="StartLearningRate">First rate of the sweep.</param>
/// <param name="EndLearningRate">Last rate of the sweep.</param>
/// <param name="Steps">Steps of the exponential sweep (fastai uses 100).</param>
/// <param name="Smoothing">Exponential smoothing of the loss (0.98 as fastai).</param>
/// <param name="DivergenceFactor">Stop when the smoothed loss exceeds this multiple of the best so far.</param>
public sealed record LrFinderOptions(double StartLearningRate = 1e-7, double EndLearningRate = 10, int Steps = 100, double Smoothing = 0.98,
    double DivergenceFactor = 4);

/// <summary>One step of the sweep.</summary>
public sealed record LrFinderPoint(double LearningRate, double Loss, double SmoothedLoss);

/// <summary>The finder's curve and its two suggestions.</summary>
/// <param name="Points">Learning rate, raw and smoothed loss at each step.</param>
/// <param name="Steepest">The rate where the smoothed loss falls fastest (per decade of rate).</param>
/// <param name="MinimumOverTen">A tenth of the rate at the lowest smoothed loss.</param>
/// <param name="Diverged">True when the sweep stopped because the loss blew up.</param>
public sealed record LrFinderResult(IReadOnlyList<LrFinderPoint> Points, double Steepest, double MinimumOverTen, bool Diverged)
{
    /// <summary>The suggested rate: <see cref="Steepest"/>.</summary>
    public double Suggested => Steepest;
}

/// <summary>
/// fastai's learning-rate finder (Smith, 2017, https://arxiv.org/abs/1506.01186): trains for a few steps while the
/// learning rate grows exponentially, records the smoothed loss, stops when it diverges, and suggests a rate. It
/// can be called at any time (before either phase of fine-tuning, for instance): the weights, BatchNorm
/// statistics, optimizer state, learning rates, random state and train/eval modes it started from are restored
/// exactly afterwards.
/// </summary>
public static class LrFinder
{
    /// <summary>Runs the sweep on <paramref name="learner"/>'s model and training data, with its current trainability.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the rates are not positive and increasing, or fewer than 5 steps are asked.</exception>
    public static LrFinderResult Run(Learner learner, LrFinderOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new LrFinderOptions();
        if (options.StartLearningRate <= 0 || options.EndLearningRate <= options.StartLearningRate)
            throw new ArgumentOutOfRangeException(nameof(options), $"Expected 0 < start < end; got {options.StartLearningRate} and {options.EndLearningRate}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 5);

        var optimizer = learner.Optimizer;
        using var weights = WeightSnapshot.Of(learner.Model);
        using var optimizerState = optimizer.GetState();
        var scales = optimizer.Groups.Select(g => (g.LearningRate, g.LearningRateScale)).ToArray();
        using var random = get_rng_state();
        using var modes = ModeScope.Capture(learner.Model);
        var points = new List<LrFinderPoint>();
        bool diverged = false;
        try
        {
            double average = 0, best = double.PositiveInfinity;
            int step = 0;
            for (int epoch = 0; step < options.Steps && !diverged; epoch++)
            {
                foreach (var batch in learner.Train.Batches(epoch))
                {
                    using (batch)
                    {
                        if (step >= options.Steps || cancellation.IsCancellationRequested) break;
                        double rate = options.StartLearningRate * Math.Pow(options.EndLearningRate / options.StartLearningRate, step / (double)(options.Steps - 1));
                        foreach (var group in optimizer.Groups) group.LearningRate = rate * group.LearningRateScale;
                        var (loss, finite) = learner.TrainStep(learner.Model, batch, metrics: null);
                        if (!float.IsFinite(loss) || !finite)
                        {
                            diverged = true;
                            break;
                        }
                        average = options.Smoothing * average + (1 - options.Smoothing) * loss;
                        double smoothed = average / (1 - Math.Pow(options.Smoothing, step + 1));
                        points.Add(new LrFinderPoint(rate, loss, smoothed));
                        best = Math.Min(best, smoothed);
                        step++;
                        if (smoothed > options.DivergenceFactor * best)
                        {
                            diverged = true;
                            break;
                        }
                    }
                }
                if (cancellation.IsCancellationRequested) break;
            }
        }
        finally
        {
            optimizer.ZeroGrad();
            weights.RestoreInto(learner.Model);
            optimizer.LoadState(optimizerState);
            for (int i = 0; i < scales.Length; i++)
                (optimizer.Groups[i].LearningRate, optimizer.Groups[i].LearningRateScale) = scales[i];
            set_rng_state(random);
        }
        var (steepest, minimum) = Suggest(points);
        return new LrFinderResult(points, steepest, minimum, diverged);
    }

    // fastai's "steep" (largest fall of the smoothed loss per decade) and "minimum" (a tenth of the rate at the lowest
    // smoothed loss), both ignoring the last few points where a divergence shows.
    private static (double Steepest, double MinimumOverTen) Suggest(IReadOnlyList<LrFinderPoint> points)
    {
        if (points.Count < 3) return (double.NaN, double.NaN);
        int end = points.Count > 10 ? points.Count - 3 : points.Count;
        int lowest = 0;
        for (int i = 1; i < end; i++)
            if (points[i].SmoothedLoss < points[lowest].SmoothedLoss) lowest = i;
        int steepest = 1;
        double slope = double.PositiveInfinity;
        for (int i = 1; i < end - 1; i++)
        {
            double s = (points[i + 1].SmoothedLoss - points[i - 1].SmoothedLoss)
                       / (Math.Log10(points[i + 1].LearningRate) - Math.Log10(points[i - 1].LearningRate));
            if (s < slope)
            {
                slope = s;
                steepest = i;
            }
        }
        return (points[steepest].LearningRate, points[lowest].LearningRate / 10);
    }
}
