using Graft.Data;
using Graft.Layers;
using Graft.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public class FeatureCacheTests
{
    private static Network NewTransferNetwork()
    {
        var network = Pretrained.SixShapeNetwork();
        manual_seed(123);
        return Transfer.FromBase(network, 3);
    }

    private static (TensorBatchSource Train, TensorBatchSource Validation) Data(Func<Tensor, Tensor>? augment = null)
    {
        var (x, shapes) = Shapes.Generate(200, seed: 41);
        var (vx, vshapes) = Shapes.Generate(100, seed: 42);
        return (new TensorBatchSource(x, Shapes.Family(shapes), 24, seed: 6, augment: augment),
            new TensorBatchSource(vx, Shapes.Family(vshapes), 50, shuffle: false));
    }

    [Fact]
    public void HeadTrainedOnCachedFeaturesMatchesTheUncachedPath()
    {
        float[] HeadAfterTraining(bool cache, out PhaseResult result)
        {
            var network = NewTransferNetwork();
            network.BaseLayers.Freeze();
            var (train, validation) = Data();
            using var learner = new Learner(network, train, validation, options: new TrainOptions { LearningRate = 1e-2 });
            result = learner.Fit(new FitOptions(6) { CacheFeatures = cache });
            return [.. network.Head.Weights.SelectMany(w => w.Tensor.detach().flatten().data<float>().ToArray())];
        }

        var cached = HeadAfterTraining(cache: true, out var cachedResult);
        var direct = HeadAfterTraining(cache: false, out var directResult);

        Assert.True(cachedResult.UsedFeatureCache);
        Assert.False(directResult.UsedFeatureCache);
        Assert.Equal(direct.Length, cached.Length);
        float worst = direct.Zip(cached, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-5f, $"cached and uncached heads differ by up to {worst}");
        Assert.False(direct.SequenceEqual(HeadInitial()), "the head must have trained");
        Assert.Equal(directResult.Last!["val_loss"], cachedResult.Last!["val_loss"], 4);
    }

    private static float[] HeadInitial()
    {
        var network = NewTransferNetwork();
        return [.. network.Head.Weights.SelectMany(w => w.Tensor.detach().flatten().data<float>().ToArray())];
    }

    [Fact]
    public void CacheAboveTheMemoryLimitSpillsToATemporaryFileThatIsDeletedOnDispose()
    {
        var network = NewTransferNetwork();
        var extractor = network.WithoutHead();
        var (train, _) = Data();
        string folder = Path.Combine(Path.GetTempPath(), $"graft-cache-test-{Guid.NewGuid():N}");
        try
        {
            using var inMemory = FeatureCache.Build(extractor, train);
            var onDisk = FeatureCache.Build(extractor, train, memoryLimitBytes: 0, spillDirectory: folder);
            Assert.False(inMemory.IsOnDisk);
            Assert.True(onDisk.IsOnDisk);
            Assert.Equal([TinyCnn.Features], onDisk.FeatureShape);
            Assert.Equal(200 * TinyCnn.Features * 4L, onDisk.SizeBytes);
            Assert.Single(Directory.GetFiles(folder, "graft-features-*.bin"));

            int[] indices = [199, 3, 57, 0];
            using (var a = inMemory.Take(indices))
            using (var b = onDisk.Take(indices))
            {
                Assert.True(Bits.Same(a.X, b.X));
                Assert.True(Bits.Same(a.Y, b.Y));
                Assert.Equal(indices, a.Indices);
            }
            onDisk.Dispose();
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void CachedFeaturesEqualTheBaseRunInInferenceMode()
    {
        var network = NewTransferNetwork();
        var extractor = network.WithoutHead();
        var (train, _) = Data();
        network.train(); // the cache must switch to inference mode itself, and restore this afterwards
        using var cache = FeatureCache.Build(extractor, train);
        Assert.True(network.training);
        using var batch = cache.Take([5, 6, 7]);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            extractor.eval();
            var (x, _) = Shapes.Generate(200, seed: 41);
            var expected = extractor.call(x.index_select(0, tensor(new long[] { 5, 6, 7 })));
            Assert.True(expected.allclose(batch.X, rtol: 1e-5, atol: 1e-6));
        }
    }

    [Fact]
    public void WithAugmentationTheFrozenBaseRunsEachStepUnderNoGrad()
    {
        var network = NewTransferNetwork();
        network.BaseLayers.Freeze();
        var (train, validation) = Data(augment: x => x.flip(3).add(randn_like(x).mul(0.05)));
        var baseBefore = Bits.Of(network.WithoutHead());
        var headBefore = Bits.Of(network.Head.Module);
        using var learner = new Learner(network, train, validation, options: new TrainOptions { LearningRate = 1e-2 });

        var result = learner.Fit(new FitOptions(2) { CacheFeatures = true });

        Assert.False(result.UsedFeatureCache);
        var baseAfter = Bits.Of(network.WithoutHead());
        Assert.All(baseBefore, kv => Assert.True(Bits.Same(kv.Value, baseAfter[kv.Key]), kv.Key));
        Assert.False(Bits.Same(headBefore["weight"], Bits.Of(network.Head.Module)["weight"]));
        Assert.All(network.BaseLayers.SelectMany(l => l.Module.parameters()), p => Assert.Null(p.grad));
    }
}
