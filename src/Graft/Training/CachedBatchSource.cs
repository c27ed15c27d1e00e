using Graft.Data;
namespace Graft.Training;

/// <summary>
/// Replays a <see cref="FeatureCache"/> with the sample order and batching of the source it was built from, so a
/// head trained on cached features sees exactly the batches it would have seen through the frozen base.
/// </summary>
internal sealed class CachedBatchSource(FeatureCache cache, IBatchSource original) : IBatchSource
{
    public int SampleCount => original.SampleCount;

    public int BatchSize => original.BatchSize;

    public int Count => original.Count;

    public bool VariesBetweenEpochs => false;

    public IReadOnlyList<int> Order(int epoch) => original.Order(epoch);

    public IEnumerable<Batch> Batches(int epoch)
    {
        var order = Order(epoch);
        for (int k = 0; k < Count; k++)
        {
            int start = k * BatchSize;
            if (start >= order.Count) yield break;
            var indices = order.Skip(start).Take(BatchSize).Where(cache.Contains).ToArray();
            if (indices.Length > 0) yield return cache.Take(indices);
        }
    }
}
