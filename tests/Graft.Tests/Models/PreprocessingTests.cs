using Graft.Layers;
using Graft.Models;
using Graft.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Tests.Models;

public sealed class PreprocessingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graft-preprocessing-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void JsonRoundTripsEveryField()
    {
        var original = new Preprocessing(232, 224, Interpolation.Bicubic, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
        string json = original.ToJson();
        Assert.Contains("\"interpolation\":\"bicubic\"", json, StringComparison.Ordinal);
        Assert.Equal(original, Preprocessing.FromJson(json));
        var gray = new Preprocessing(28, 28, Interpolation.Bilinear, [0.5f], [0.5f]);
        Assert.Equal(gray, Preprocessing.FromJson(gray.ToJson()));
    }

    [Theory]
    [InlineData("{\"resize\":0,\"crop\":2,\"mean\":[0.5],\"std\":[0.5]}", "'resize'")]
    [InlineData("{\"resize\":4,\"crop\":2,\"mean\":[0.5,0.5,0.5],\"std\":[0.5]}", "'mean' has 3 values but 'std' has 1")]
    [InlineData("{\"resize\":4,\"crop\":2,\"interpolation\":\"lanczos\",\"mean\":[0.5],\"std\":[0.5]}", "'lanczos'")]
    [InlineData("[1,2]", "is not valid")]
    [InlineData("{\"resize\":4,\"crop\":2,\"std\":[0.5]}", "'mean'")]
    public void MalformedJsonSaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Preprocessing.FromJson(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASmallerCropScalesTheResizeInProportion()
    {
        var imageNet = Preprocessing.ImageNet(cropSize: 224);
        var small = imageNet.WithCropSize(64);
        Assert.Equal(64, small.CropSize);
        Assert.Equal(73, small.ResizeSize); // 256 × 64 / 224 = 73.1
        Assert.Equal(imageNet.Mean, small.Mean);
        Assert.Same(imageNet, imageNet.WithCropSize(224));
    }

    [Fact]
    public void EveryArchitectureHasPreprocessingAndGrayscaleModelsHaveOneChannelStatistics()
    {
        Assert.All(Zoo.All, spec =>
        {
            Assert.True(spec.Preprocessing.Mean.Count == 1 || spec.Preprocessing.Mean.Count == spec.InputChannels, spec.Name);
            Assert.Equal(spec.InputSize, spec.Preprocessing.CropSize);
        });
        var mini = Zoo.Find("resnet_mini").Preprocessing;
        Assert.Equal((28, 28), (mini.ResizeSize, mini.CropSize));
        Assert.Equal([0.5f], mini.Mean);
        Assert.Equal(Zoo.Find("resnet50").Default!.Preprocessing, Zoo.Find("resnet50").Preprocessing);
    }

    [Fact]
    public void ATransferFromAFileReadsItsClassifierWidthAndKeepsTheBase()
    {
        var spec = Zoo.Find("resnet_mini");
        string file = Path.Combine(_folder, "mini7.safetensors");
        manual_seed(3);
        using (var source = spec.Create(numClasses: 7))
        using (var state = StateDict.FromModule(source))
            state.Save(file);

        using var same = spec.CreateForTransfer(file);
        Assert.Equal(7, ((Linear)same.Head.Module).out_features);
        using var three = spec.CreateForTransfer(file, numClasses: 3);
        Assert.Equal(3, ((Linear)three.Head.Module).out_features);
        using var stored = StateDict.Load(file);
        Assert.Equal(7, spec.ClassifierWidth(stored));
        Assert.True(stored["layer3.0.conv2.weight"].equal(three.state_dict()["layer3.0.conv2.weight"]).all().item<bool>());

        // The plain loader stays exact: a 3-class model cannot take a 7-class file.
        Assert.Throws<StateDictMismatchException>(() => spec.CreateFromFile(file, numClasses: 3));
        // Another architecture's file names its keys.
        var wrong = Assert.Throws<StateDictMismatchException>(() => Zoo.Find("resnet18").CreateForTransfer(file, numClasses: 3, inChannels: 1));
        Assert.Contains("layer4", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheClassifierWidthIsTheLastLinearLayerOfTheHead()
    {
        using var mobile = Zoo.Create("mobilenet_v3_small", numClasses: 9);
        using var state = StateDict.FromModule(mobile);
        Assert.Equal(9, Zoo.Find("mobilenet_v3_small").ClassifierWidth(state)); // classifier.0 is 576→1024, classifier.3 is 1024→9
    }
}
