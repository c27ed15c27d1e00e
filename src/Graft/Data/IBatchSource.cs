namespace Graft.Data;

/// <summary>
/// The contract between a data pipeline and training: a dataset seen as numbered epochs of batches.
/// Sample order is a pure function of the epoch number (<see cref="Order"/>), so a resumed run sees the same
/// batches as an uninterrupted one and a feature cache can replay an epoch without reading any image.
/// </summary>
/// <remarks>
/// Batch <c>k</c> of epoch <c>e</c> holds the samples <c>Order(e)[k*BatchSize .. (k+1)*BatchSize)</c>, minus any
/// sample that could not be read (reported in <see cref="Batch.Skipped"/>, never thrown). The consumer owns and
/// disposes each <see cref="Batch"/>.
/// </remarks>
public interface IBatchSource
{
    /// <summary>Number of samples in one epoch.</summary>
    int SampleCount { get; }

    /// <summary>Samples per batch (the last batch of an epoch may be smaller).</summary>
    int BatchSize { get; }

    /// <summary>Batches per epoch.</summary>
    int Count { get; }

    /// <summary>
    /// True when the same sample can give different tensors in different epochs (random augmentation). A source
    /// whose batches do not vary lets feature extraction run a frozen base once and train on cached features.
    /// </summary>
    bool VariesBetweenEpochs { get; }

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the samples (dataset positions).</summary>
    IReadOnlyList<int> Order(int epoch);

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based), in order.</summary>
    IEnumerable<Batch> Batches(int epoch);
}
