namespace Graft.Data;

/// <summary>What one pass over the data delivered, reported when the pass completes.</summary>
/// <param name="Epoch">The epoch number.</param>
/// <param name="Batches">Batches delivered.</param>
/// <param name="Samples">Samples delivered.</param>
/// <param name="Skipped">Unreadable samples left out, in delivery order.</param>
/// <param name="Elapsed">Wall time from the first request to the last batch.</param>
public sealed record EpochStats(int Epoch, int Batches, int Samples, IReadOnlyList<SkippedSample> Skipped, TimeSpan Elapsed)
{
    /// <summary>Samples delivered per second.</summary>
    public double SamplesPerSecond => Elapsed > TimeSpan.Zero ? Samples / Elapsed.TotalSeconds : 0;
}
