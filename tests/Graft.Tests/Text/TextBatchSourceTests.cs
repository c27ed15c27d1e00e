using Graft.Text;
using static TorchSharp.torch;

namespace Graft.Tests.Text;

public class TextBatchSourceTests
{
    // 10 texts of length 3: text i holds indices (i+2, i+2, 0) and label i % 3.
    private static EncodedTexts Texts() => new(
        [.. Enumerable.Range(0, 10).SelectMany(i => new long[] { i + 2, i + 2, 0 })],
        [.. Enumerable.Range(0, 10).Select(i => (long)(i % 3))], sequenceLength: 3);

    [Fact]
    public void BatchesHoldIndexRowsAndTheirLabelsAndVisitEveryTextOncePerEpoch()
    {
        var source = new TextBatchSource(Texts(), batchSize: 4, seed: 9);
        Assert.Equal((10, 4, 3), (source.SampleCount, source.BatchSize, source.Count));
        Assert.False(source.VariesBetweenEpochs);
        var visited = new List<int>();
        foreach (var batch in source.Batches(epoch: 2))
        {
            using (batch)
            {
                Assert.Equal(ScalarType.Int64, batch.X.dtype);
                Assert.Equal(ScalarType.Int64, batch.Y.dtype);
                Assert.Equal([batch.Count, 3L], batch.X.shape);
                long[] x = batch.X.data<long>().ToArray(), y = batch.Y.data<long>().ToArray();
                for (int i = 0; i < batch.Count; i++)
                {
                    int text = batch.Indices![i];
                    Assert.Equal([text + 2L, text + 2L, 0L], x[(i * 3)..(i * 3 + 3)]);
                    Assert.Equal(text % 3, y[i]);
                }
                visited.AddRange(batch.Indices!);
            }
        }
        Assert.Equal(source.Order(2), visited);
        Assert.Equal(Enumerable.Range(0, 10), visited.Order());
    }

    [Fact]
    public void TheOrderIsAFunctionOfTheEpochAndSequentialWithoutShuffling()
    {
        var source = new TextBatchSource(Texts(), batchSize: 4, seed: 9);
        Assert.Equal(source.Order(1), new TextBatchSource(Texts(), batchSize: 4, seed: 9).Order(1));
        Assert.NotEqual(source.Order(0), source.Order(1));
        Assert.NotEqual(source.Order(0), new TextBatchSource(Texts(), batchSize: 4, seed: 10).Order(0));
        Assert.Equal(Enumerable.Range(0, 10), new TextBatchSource(Texts(), batchSize: 4, shuffle: false).Order(5));

        var dropping = new TextBatchSource(Texts(), batchSize: 4, dropLast: true);
        Assert.Equal(2, dropping.Count);
        var sizes = dropping.Batches(0).Select(b => { using (b) return b.Count; }).ToList();
        Assert.Equal([4, 4], sizes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextBatchSource(Texts(), batchSize: 0));
    }
}
