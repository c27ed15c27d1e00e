using Graft.Data;
using Graft.Data.Transforms;
using Graft.Models;

namespace Graft.Tests.Data;

public class PipelineForModelTests
{
    [Fact]
    public void ImageNetPreprocessingGivesTheSameValuesAsTheEvaluationPipeline()
    {
        var image = TestImages.Raw(50, 40, 3, (x, y, c) => (x * 5 + y * 3 + c * 70) % 256);
        var forModel = ImagePipeline.ForModel(Preprocessing.ImageNet(cropSize: 32, resizeSize: 36), channels: 3);
        var reference = ImagePipeline.ForEvaluation(36, 32);

        float[] actual = forModel.Process(image, training: false, new Random(1));
        float[] expected = reference.Process(image, training: false, new Random(1));

        Assert.Equal(3 * 32 * 32, actual.Length);
        Assert.Equal(expected, actual);
        Assert.Equal(2, forModel.DeterministicPrefixLength);
    }

    [Fact]
    public void GrayscaleModelsGetOneNormalisedChannel()
    {
        var image = TestImages.Raw(28, 28, 3, (x, y, c) => 200); // grey: luma 200 whatever the weights
        var pipeline = ImagePipeline.ForModel(Zoo.Find("resnet_mini").Preprocessing, channels: 1);

        float[] values = pipeline.Process(image, training: false, new Random(1));

        Assert.Equal(28 * 28, values.Length);
        Assert.All(values, v => Assert.Equal((200 / 255f - 0.5f) / 0.5f, v, 1e-4f));
    }

    [Fact]
    public void ThreeValueStatisticsAreAveragedForOneChannelAndAugmentationFollowsTheCrop()
    {
        var pipeline = ImagePipeline.ForModel(Preprocessing.ImageNet(cropSize: 16, resizeSize: 16), channels: 1, [new RandomHorizontalFlip()]);
        Assert.Equal(1, pipeline.Output.Channels);
        Assert.Equal((0.485f + 0.456f + 0.406f) / 3, Assert.Single(pipeline.Output.Mean!), 1e-6f);
        Assert.IsType<RandomHorizontalFlip>(pipeline.Transforms[^1]);
        Assert.Equal(2, pipeline.DeterministicPrefixLength);

        var bad = new Preprocessing(16, 16, Graft.Models.Interpolation.Bilinear, [0.1f, 0.2f], [0.3f, 0.4f]);
        Assert.Contains("2 values", Assert.Throws<ArgumentException>(() => ImagePipeline.ForModel(bad, channels: 3)).Message, StringComparison.Ordinal);
    }
}
