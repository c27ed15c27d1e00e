using Graft.Training.Metrics;

namespace Graft.Training;

/// <summary>Follows the monitored metric through a phase: the best value and epoch, and how long since it improved.</summary>
internal sealed class BestTracker(string monitor, EarlyStopping? earlyStopping)
{
    private readonly bool _lowerIsBetter = MetricDirection.LowerIsBetter(monitor);

    public string Monitor => monitor;

    public EarlyStopping? EarlyStopping => earlyStopping;

    public double? Best { get; set; }

    public int? BestEpoch { get; set; }

    public int Wait { get; set; }

    /// <summary>True when <paramref name="record"/> beats the best so far by more than the minimum delta.</summary>
    public bool Update(EpochRecord record)
    {
        if (!record.Has(monitor)) return false;
        double value = record[monitor];
        double delta = earlyStopping?.MinDelta ?? 0;
        bool improved = !double.IsNaN(value) && (Best is not { } best || (_lowerIsBetter ? value < best - delta : value > best + delta));
        if (improved)
        {
            Best = value;
            BestEpoch = record.Epoch;
            Wait = 0;
        }
        else Wait++;
        return improved;
    }

    /// <summary>True when early stopping's patience has run out.</summary>
    public bool ShouldStop => earlyStopping is { } es && Wait >= es.Patience;
}
