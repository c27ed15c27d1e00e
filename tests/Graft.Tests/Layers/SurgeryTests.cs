using Graft.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Layers;

public class SurgeryTests
{
    [Fact]
    public void FeaturesReturnsTheIntermediateOutputAndSharesWeights()
    {
        var model = SmallCnn.Create();
        model.eval();
        var features = model.Features("relu2");
        Assert.Equal(new[] { "conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2" }, features.Layers.Names);

        using var generator = new torch.Generator(17);
        using var x = torch.randn(2, 3, 8, 8, generator: generator);
        using var _ = torch.no_grad();
        var expected = x;
        foreach (var layer in model.Layers.Take(7)) expected = ((nn.Module<Tensor, Tensor>)layer.Module).call(expected);
        // The network folds each inference-mode BatchNorm into its convolution (Layers/BatchNormFolding), the
        // layer-by-layer reference does not: equal up to float rounding, so an absolute tolerance for values near 0.
        Assert.True(features.call(x).allclose(expected, rtol: 1e-5, atol: 1e-6));

        features.Freeze();
        Assert.False(model.Layers["conv1"].Trainable);
        Assert.True(model.Layers["fc"].Trainable);
    }

    [Fact]
    public void WithoutHeadAndWithHeadKeepTheBaseAndSwapTheHead()
    {
        var model = SmallCnn.Create(classes: 3);
        var bare = model.WithoutHead();
        Assert.Equal("flatten", bare.Layers[^1].Name);
        using (torch.no_grad()) Assert.Equal(new long[] { 2, 16 }, bare.call(torch.randn(2, 3, 8, 8)).shape);

        var five = model.WithHead(nn.Linear(16, 5));
        Assert.Equal("fc", five.HeadName);
        using (torch.no_grad()) Assert.Equal(new long[] { 2, 5 }, five.call(torch.randn(2, 3, 8, 8)).shape);
        Assert.Equal(new long[] { 5, 16 }, five.state_dict()["fc.weight"].shape);
        Assert.Same(model.Layers["conv1"].Module, five.Layers["conv1"].Module);
    }

    [Fact]
    public void InlineGroupsListTheirLayersWithDottedNamesAndKeepKeys()
    {
        torch.manual_seed(0);
        var features = new Network("features", new (string, nn.Module<Tensor, Tensor>)[]
        {
            ("0", nn.Conv2d(3, 4, 3)), ("1", nn.ReLU()), ("2", nn.Conv2d(4, 4, 3)),
        }, inline: true, headName: null);
        var model = new Network("m", new (string, nn.Module<Tensor, Tensor>)[]
        {
            ("features", features), ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("classifier", nn.Linear(4, 2)),
        }, inline: false, headName: "classifier");

        Assert.Equal(new[] { "features.0", "features.1", "features.2", "pool", "flatten", "classifier" }, model.Layers.Names);
        Assert.Contains("features.2.weight", model.state_dict().Keys);

        model.UnfreezeTop(1);
        Assert.Equal(new[] { "features.2", "pool", "flatten", "classifier" }, model.Layers.Where(l => l.Trainable).Select(l => l.Name));

        var rebuilt = model.WithHead(nn.Linear(4, 7));
        Assert.Equal(model.Layers.Names, rebuilt.Layers.Names);
        Assert.Contains("features.2.weight", rebuilt.state_dict().Keys);
        Assert.Equal(new long[] { 7, 4 }, rebuilt.state_dict()["classifier.weight"].shape);
    }

    [Fact]
    public void UnfreezeTopSkipsLayersWithoutWeights()
    {
        var model = SmallCnn.Create();
        model.UnfreezeTop(1);
        // The base's last weighted layer is bn2; relu2, gap and flatten hold no weights.
        Assert.Equal(new[] { "bn2", "relu2", "gap", "flatten", "fc" }, model.Layers.Where(l => l.Trainable).Select(l => l.Name));
        model.UnfreezeTop(2);
        Assert.Equal(new[] { "conv2", "bn2", "relu2", "gap", "flatten", "fc" }, model.Layers.Where(l => l.Trainable).Select(l => l.Name));
    }

    [Fact]
    public void AModelUsedAsALayerFreezesThroughAndItsSummaryNests()
    {
        var inner = SmallCnn.Create().WithoutHead();
        var outer = new Network("outer", ("base", inner), ("head", nn.Linear(16, 4)));
        outer.Layers["base"].Freeze();

        Assert.False(inner.Trainable);
        Assert.All(inner.parameters(), p => Assert.False(p.requires_grad));
        Assert.True(outer.Layers["head"].Trainable);
        var before = SmallCnn.Snapshot(outer);
        SmallCnn.TrainSteps(outer, 3);
        var after = outer.state_dict();
        Assert.All(before.Where(kv => kv.Key.StartsWith("base.")), kv => Assert.True(TensorAssert.Same(kv.Value, after[kv.Key]), kv.Key));
        Assert.False(TensorAssert.Same(before["head.weight"], after["head.weight"]));

        var summary = ModelSummary.Of(outer, 1, 3, 8, 8);
        Assert.Equal(("base", 0), (summary.Rows[0].Name, summary.Rows[0].Depth));
        Assert.Contains(summary.Rows, r => r is { Name: "conv1", Depth: 1, Trainable: false });
        Assert.Equal(new long[] { 1, 16 }, summary.Rows[0].OutputShape);
        Assert.Equal(new long[] { 1, 4 }, summary.Rows[^1].OutputShape);
        Assert.Equal(16 * 4 + 4, summary.Totals.TrainableParameters);
        Assert.Contains("Trainable params: 68", summary.ToString());

        outer.Layers["base"].Unfreeze();
        Assert.True(inner.Trainable);
    }

    [Fact]
    public void CountsSeparateTrainableFrozenAndBuffers()
    {
        var model = SmallCnn.Create(classes: 3);
        long conv1 = 8 * 3 * 9 + 8, bn1 = 16, conv2 = 16 * 8 * 9 + 16, bn2 = 32, fc = 16 * 3 + 3;
        Assert.Equal(conv1 + bn1 + conv2 + bn2 + fc, model.Layers.Counts.Parameters);
        model.Layers[..^1].Freeze();
        var counts = WeightCounts.Of(model);
        Assert.Equal(fc, counts.TrainableParameters);
        Assert.Equal(conv1 + bn1 + conv2 + bn2, counts.FrozenParameters);
        Assert.Equal(8 + 8 + 1 + 16 + 16 + 1, counts.BufferScalars); // running mean, var, num_batches_tracked
        Assert.Equal(2, model.Layers.TrainableWeights.Count);
        Assert.Equal(8 + 6, model.Layers.NonTrainableWeights.Count); // 2 conv × 2, 2 bn × (2 params + 3 buffers)
    }

    [Fact]
    public void ModelSummaryRestoresModesAndChangesNoStatistics()
    {
        var model = SmallCnn.Create();
        model.train();
        var before = SmallCnn.Snapshot(model);
        var summary = ModelSummary.Of(model, 2, 3, 8, 8);
        Assert.True(model.training);
        Assert.All(before, kv => Assert.True(TensorAssert.Same(kv.Value, model.state_dict()[kv.Key]), kv.Key));
        Assert.Equal(new long[] { 2, 8, 4, 4 }, summary.Rows.Single(r => r.Name == "pool1").OutputShape);
    }

    [Fact]
    public void BadNamesAndIndicesSayWhatExists()
    {
        var model = SmallCnn.Create();
        var e = Assert.Throws<KeyNotFoundException>(() => model.Layers["layer9"]);
        Assert.Contains("conv1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Layers[42]);
        Assert.Throws<ArgumentException>(() => new Network("dup", ("a", nn.ReLU()), ("a", nn.ReLU())));
    }
}
