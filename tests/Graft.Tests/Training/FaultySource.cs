using Graft.Data;
using Graft.Training;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

/// <summary>Wraps a source to inject faults: NaN inputs in one batch, or a skipped-sample report on some batches.</summary>
internal sealed class FaultySource(IBatchSource inner) : IBatchSource
{
    public (int Epoch, int Batch)? NaNAt { get; init; }

    public int ErrorOnBatch { get; init; } = -1;

    public int SampleCount => inner.SampleCount;

    public int BatchSize => inner.BatchSize;

    public int Count => inner.Count;

    public bool VariesBetweenEpochs => inner.VariesBetweenEpochs;

    public IReadOnlyList<int> Order(int epoch) => inner.Order(epoch);

    public IEnumerable<Batch> Batches(int epoch)
    {
        int k = 0;
        foreach (var batch in inner.Batches(epoch))
        {
            var result = batch;
            if (NaNAt == (epoch, k))
            {
                result = batch with { X = full(batch.X.shape, float.NaN).DetachFromDisposeScope() };
                batch.X.Dispose();
            }
            if (k == ErrorOnBatch)
                result = result with { Skipped = [new SkippedSample(k, $"images/{epoch}-{k}.png", "not a PNG (bad signature)")] };
            k++;
            yield return result;
        }
    }
}
