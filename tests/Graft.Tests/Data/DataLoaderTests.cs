using Graft.Data;
using Graft.Data.Transforms;

namespace Graft.Tests.Data;

public class DataLoaderTests
{
    /// <summary>A user-implemented source: synthetic RGB images of varying sizes, counting every load.</summary>
    private sealed class SyntheticSource(int count, int classes = 3) : IImageSource
    {
        private int _loads;

        public int Loads => Volatile.Read(ref _loads);

        public int Count => count;

        public IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();

        public int TargetCount => 0;

        public int GetLabel(int index) => index % classes;

        public void GetTargets(int index, Span<float> destination) => throw new InvalidOperationException();

        public string Describe(int index) => $"synthetic #{index}";

        public RawImage Load(int index, int minimumShorterSide)
        {
            Interlocked.Increment(ref _loads);
            int width = 50 + index % 17, height = 40 + index % 11;
            return TestImages.Raw(width, height, 3, (x, y, c) => (x * (3 + index % 5) + y * 7 + c * 40 + index) % 256);
        }
    }

    private static ImagePipeline Augmenting() => new(
        [
            new RandomResizedCrop(32), new RandomHorizontalFlip(), new RandomRotation(20), new RandomZoom(0.9, 1.1),
            new RandomTranslation(0.1, 0.1), new ColorJitter(0.4, 0.4, 0.4),
        ],
        OutputFormat.ImageNet);

    private static List<(float[] X, long[] Y, int[] Indices)> Collect(DataLoader loader, int epoch) =>
        loader.Epoch(epoch).Select(batch =>
        {
            using (batch) return (batch.X.data<float>().ToArray(), batch.Y.data<long>().ToArray(), batch.Indices!.ToArray());
        }).ToList();

    private static void AssertSame(List<(float[] X, long[] Y, int[] Indices)> a, List<(float[] X, long[] Y, int[] Indices)> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Indices, b[i].Indices);
            Assert.Equal(a[i].Y, b[i].Y);
            Assert.True(a[i].X.AsSpan().SequenceEqual(b[i].X), $"batch {i} differs");
        }
    }

    [Fact]
    public void SameSeedGivesBitIdenticalBatchesWithAnyNumberOfWorkers()
    {
        var source = new SyntheticSource(45);
        var options = new LoaderOptions { BatchSize = 8, Seed = 1234 };
        foreach (int epoch in new[] { 0, 1 })
        {
            var one = Collect(new DataLoader(source, Augmenting(), options with { Workers = 1 }), epoch);
            var four = Collect(new DataLoader(source, Augmenting(), options with { Workers = 4, PrefetchBatches = 3 }), epoch);
            var inline = Collect(new DataLoader(source, Augmenting(), options with { Workers = 0 }), epoch);
            AssertSame(one, four);
            AssertSame(one, inline);
        }
    }

    [Fact]
    public void EpochsAndSeedsChangeOrderAndAugmentation()
    {
        var source = new SyntheticSource(24);
        var options = new LoaderOptions { BatchSize = 24, Seed = 5 };
        var epoch0 = Collect(new DataLoader(source, Augmenting(), options), 0).Single();
        var epoch1 = Collect(new DataLoader(source, Augmenting(), options), 1).Single();
        var otherSeed = Collect(new DataLoader(source, Augmenting(), options with { Seed = 6 }), 0).Single();

        Assert.Equal(Enumerable.Range(0, 24), epoch0.Indices.Order());
        Assert.NotEqual(epoch0.Indices, epoch1.Indices);
        Assert.NotEqual(epoch0.Indices, otherSeed.Indices);

        // The same sample is augmented differently in another epoch.
        int sample = epoch0.Indices[0];
        int plane = 3 * 32 * 32;
        float[] first = epoch0.X.AsSpan(0, plane).ToArray();
        float[] later = epoch1.X.AsSpan(Array.IndexOf(epoch1.Indices, sample) * plane, plane).ToArray();
        Assert.NotEqual(first, later);
        Assert.Equal(epoch0.Indices.Select(i => (long)(i % 3)), epoch0.Y); // labels travel with their images
    }

    [Fact]
    public void EvaluationLoaderIsSequentialAndUnaugmentedWithASmallerLastBatch()
    {
        var source = new SyntheticSource(10);
        var loader = new DataLoader(source, ImagePipeline.ForEvaluation(36, 32), LoaderOptions.Evaluation with { BatchSize = 4 });
        var batches = Collect(loader, 0);

        Assert.Equal(3, loader.BatchesPerEpoch);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]], batches.Select(b => b.Indices));
        Assert.Equal([0L, 1, 2, 0], batches[0].Y);
        AssertSame(batches, Collect(loader, 7)); // no randomness at all outside training

        var dropping = new DataLoader(source, ImagePipeline.ForEvaluation(36, 32), LoaderOptions.Evaluation with { BatchSize = 4, DropLast = true });
        Assert.Equal(2, Collect(dropping, 0).Count);
    }

    [Fact]
    public void CachingDecodedImagesChangesNothingButTheWork()
    {
        var pipeline = new ImagePipeline([new Resize(40), new RandomResizedCrop(32), new RandomHorizontalFlip()], OutputFormat.ImageNet);
        var plainSource = new SyntheticSource(20);
        var cachedSource = new SyntheticSource(20);
        var options = new LoaderOptions { BatchSize = 6, Seed = 9 };
        var plain = new DataLoader(plainSource, pipeline, options);
        var cached = new DataLoader(cachedSource, pipeline, options with { CacheImages = true });

        foreach (int epoch in new[] { 0, 1, 2 }) AssertSame(Collect(plain, epoch), Collect(cached, epoch));
        Assert.Equal(60, plainSource.Loads);
        Assert.Equal(20, cachedSource.Loads);
    }

    [Fact]
    public void PrefetchIsBoundedAndLeavingEarlyStopsTheWorkers()
    {
        var source = new SyntheticSource(400);
        var loader = new DataLoader(source, Augmenting(), new LoaderOptions { BatchSize = 4, Workers = 2, PrefetchBatches = 3 });
        using (var batches = loader.Epoch(0).GetEnumerator())
        {
            Assert.True(batches.MoveNext());
            batches.Current.Dispose();
            Thread.Sleep(400); // plenty of time for unbounded workers to run far ahead
            // Taken: 1 batch; ahead: at most 3 (ready or in progress).
            Assert.InRange(source.Loads, 4, (1 + 3) * 4);
        }
        int afterStop = source.Loads;
        Thread.Sleep(200);
        Assert.Equal(afterStop, source.Loads);
        Assert.Null(loader.LastEpoch); // the epoch did not complete
    }

    [Fact]
    public void EpochCompletedReportsCounts()
    {
        var loader = new DataLoader(new SyntheticSource(9), ImagePipeline.ForEvaluation(36, 32), LoaderOptions.Evaluation with { BatchSize = 4 });
        EpochStats? reported = null;
        loader.EpochCompleted += (_, stats) => reported = stats;
        foreach (Batch batch in loader.Epoch(3)) batch.Dispose();

        Assert.NotNull(reported);
        Assert.Same(reported, loader.LastEpoch);
        Assert.Equal((3, 3, 9, 0), (reported!.Epoch, reported.Batches, reported.Samples, reported.Skipped.Count));
    }

    [Fact]
    public void ImagesOfDifferentSizesInABatchAreAClearError()
    {
        var loader = new DataLoader(new SyntheticSource(4), new ImagePipeline([]), LoaderOptions.Evaluation with { BatchSize = 4 });
        var error = Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).First().Dispose());
        Assert.Contains("synthetic #1", error.Message);
        Assert.Contains("fixed size", error.Message);
    }

    [Fact]
    public void BatchTensorsHaveTheDocumentedShapesTypesAndDevice()
    {
        var loader = new DataLoader(new SyntheticSource(5), Augmenting(), new LoaderOptions { BatchSize = 5 });
        using Batch batch = loader.Epoch(0).Single();
        var (x, y) = batch;
        Assert.Equal([5, 3, 32, 32], x.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, x.dtype);
        Assert.Equal([5], y.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, y.dtype);
        Assert.Equal(Graft.Native.Compute.Device.type, x.device.type);
    }
}
