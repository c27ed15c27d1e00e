using Graft.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Models;

public sealed class BuildingBlockTests
{
    [Fact]
    public void StochasticDepthIsTheIdentityInEvaluation()
    {
        using var layer = new StochasticDepth(0.9);
        layer.eval();
        using var input = torch.randn(4, 3, 2, 2);
        using var output = layer.call(input);
        Assert.NotSame(input, output); // a new handle: the caller may dispose either
        Assert.True(output.equal(input).all().item<bool>());
    }

    [Fact]
    public void StochasticDepthDropsWholeRowsAndRescalesTheRest()
    {
        using var layer = new StochasticDepth(0.25, StochasticDepthMode.Row);
        layer.train();
        torch.manual_seed(7);
        using var input = torch.ones(4000, 2, 3);
        using var output = layer.call(input);
        using var perRow = output.reshape(4000, -1);
        var minimum = perRow.min(1).values;
        var maximum = perRow.max(1).values;
        Assert.True(minimum.equal(maximum).all().item<bool>()); // each row is all dropped or all kept
        var values = maximum.data<float>().ToArray();
        Assert.All(values, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.75f) < 1e-6, $"row value {v}"));
        double kept = values.Count(v => v > 0) / 4000.0;
        Assert.InRange(kept, 0.72, 0.78); // 0.75 ± 4.4 standard deviations
    }

    [Fact]
    public void StochasticDepthInBatchModeDropsTheWholeBatchTogether()
    {
        using var layer = new StochasticDepth(0.5, StochasticDepthMode.Batch);
        layer.train();
        torch.manual_seed(3);
        for (int i = 0; i < 20; i++)
        {
            using var output = layer.call(torch.ones(8, 4));
            float min = output.min().item<float>(), max = output.max().item<float>();
            Assert.Equal(min, max);
            Assert.True(min is 0f or 2f);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void StochasticDepthRejectsProbabilitiesOutsideTheUnitInterval(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StochasticDepth(p));
        Assert.Equal("p", error.ParamName);
    }

    [Fact]
    public void LayerNorm2dNormalisesEachPixelOverChannels()
    {
        using var layer = new LayerNorm2d(6);
        using var input = torch.randn(2, 6, 3, 4) * 5 + 2;
        using var output = layer.call(input);
        Assert.Equal(input.shape, output.shape);
        using var mean = output.mean([1]);
        using var variance = output.var(1, unbiased: false);
        Assert.True(mean.abs().max().item<float>() < 1e-5);
        Assert.True((variance - 1).abs().max().item<float>() < 1e-3);
        Assert.Equal(["weight", "bias"], layer.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void Conv2dNormActivationNumbersItsLayersLikeTorchvision()
    {
        using var withNorm = new Conv2dNormActivation(3, 8, 3, 2, 1, c => nn.BatchNorm2d(c), () => nn.ReLU());
        Assert.Equal(["0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"], withNorm.state_dict().Keys);
        using var x = torch.randn(1, 3, 9, 9);
        using var y = withNorm.call(x);
        Assert.Equal(new long[] { 1, 8, 5, 5 }, y.shape); // "same" padding, stride 2

        using var bare = new Conv2dNormActivation(3, 8, 1, 1, 1, norm: null, activation: null);
        Assert.Equal(["0.weight", "0.bias"], bare.state_dict().Keys); // a bias only without normalisation
    }

    [Fact]
    public void ImageNetPreprocessingIsTorchvisionsDefault()
    {
        var p = Preprocessing.ImageNet(cropSize: 224);
        Assert.Equal(256, p.ResizeSize);
        Assert.Equal(Interpolation.Bilinear, p.Interpolation);
        Assert.Equal([0.485f, 0.456f, 0.406f], p.Mean);
        Assert.Equal([0.229f, 0.224f, 0.225f], p.Std);
        Assert.Equal(p, Preprocessing.ImageNet(224));
        Assert.NotEqual(p, Preprocessing.ImageNet(224, 232));
        Assert.Equal(Interpolation.Bicubic, Zoo.Find("efficientnet_b0").Default!.Preprocessing.Interpolation);
        Assert.Equal(236, Zoo.Find("convnext_tiny").Default!.Preprocessing.ResizeSize);
    }
}
