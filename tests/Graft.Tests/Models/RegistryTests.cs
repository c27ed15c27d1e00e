using System.Text.RegularExpressions;
using Graft.IO;
using Graft.Models;

namespace Graft.Tests.Models;

/// <summary>The registry's data, checked entry by entry: every registered model and weight set is covered the moment
/// it is added.</summary>
public sealed partial class RegistryTests
{
    public static TheoryData<string> ModelNames => new(Zoo.Names);

    public static TheoryData<string, string> WeightNames
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var spec in Zoo.All)
                foreach (var weights in spec.Weights)
                    data.Add(spec.Name, weights.Name);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(WeightNames))]
    public void WeightsMetadataIsWellFormed(string model, string tag)
    {
        var spec = Zoo.Find(model);
        var weights = spec.GetWeights(tag);

        Assert.Matches(UpperSnake(), weights.Name);
        Assert.StartsWith("https://download.pytorch.org/models/", weights.Url, StringComparison.Ordinal);
        Assert.EndsWith("/" + weights.FileName, weights.Url, StringComparison.Ordinal);
        var suffix = HashSuffix().Match(weights.FileName);
        Assert.True(suffix.Success, $"{weights.FileName} does not end in -<8 hex digits>.pth");
        Assert.Matches(EightHex(), weights.Sha256);
        Assert.True(weights.Sha256IsPrefix);
        Assert.Equal(suffix.Groups[1].Value, weights.Sha256);
        Assert.Equal(weights.Sha256, weights.File.Sha256); // the downloader accepts it as given
        Assert.Equal(weights.FileName, weights.File.FileName);

        var p = weights.Preprocessing;
        Assert.Equal(3, p.Mean.Count);
        Assert.Equal(3, p.Std.Count);
        Assert.All(p.Std, s => Assert.True(s > 0));
        Assert.All(p.Mean, m => Assert.InRange(m, 0f, 1f));
        Assert.InRange(p.CropSize, 32, p.ResizeSize);

        Assert.True(weights.Meta.Parameters > 0);
        Assert.False(string.IsNullOrWhiteSpace(weights.Meta.CodeLicence));
        Assert.False(string.IsNullOrWhiteSpace(weights.Meta.WeightsLicence));
        Assert.StartsWith("https://", weights.Meta.Recipe, StringComparison.Ordinal);

        if (weights.Categories is null)
        {
            // Feature-extraction weights (VGG-16 IMAGENET1K_FEATURES): no classifier, so no published accuracy.
            Assert.Null(weights.Meta.Top1);
            Assert.Null(weights.Meta.Top5);
            Assert.False(string.IsNullOrWhiteSpace(weights.Meta.Notes));
        }
        else
        {
            Assert.Equal(spec.NumClasses, weights.NumClasses);
            Assert.Same(ImageNetCategories.All, weights.Categories);
            Assert.NotNull(weights.Meta.Top1);
            Assert.NotNull(weights.Meta.Top5);
            Assert.InRange(weights.Meta.Top1!.Value, 0.001, 99.999);
            Assert.InRange(weights.Meta.Top5!.Value, weights.Meta.Top1.Value, 99.999);
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void ModelEntryIsConsistent(string model)
    {
        var spec = Zoo.Find(model);
        Assert.Matches(LowerSnake(), spec.Name);
        Assert.StartsWith("https://arxiv.org/abs/", spec.Paper, StringComparison.Ordinal);
        if (spec.Weights.Count == 0)
        {
            Assert.Null(spec.DefaultWeightsName);
            Assert.Null(spec.Default);
        }
        else
        {
            Assert.NotNull(spec.Default);
            Assert.Same(spec.Default, spec.GetWeights("DEFAULT"));
            Assert.Equal(spec.Weights.Count, spec.Weights.Select(w => w.Name).Distinct().Count());
            Assert.Equal(spec.Weights.Count, spec.Weights.Select(w => w.Sha256).Distinct().Count());
            Assert.Single(spec.Weights.Select(w => w.Meta.Parameters).Distinct());
        }
    }

    [Theory]
    [MemberData(nameof(WeightNames))]
    public void TaggedNamesRoundTrip(string model, string tag)
    {
        var spec = Zoo.Find(model);
        var weights = spec.GetWeights(tag);
        string full = spec.FullName(weights);
        Assert.Equal($"{model}.{tag.ToLowerInvariant()}", full);

        var (resolved, resolvedWeights) = Zoo.Resolve(full.ToUpperInvariant());
        Assert.Same(spec, resolved);
        Assert.Same(weights, resolvedWeights);
        Assert.Same(spec, Zoo.Find(full));
        Assert.Equal(weights.File, Zoo.FindFile(full));
    }

    [Fact]
    public void NamesAreCaseInsensitiveAndUntaggedNamesHaveNoWeights()
    {
        Assert.Same(Zoo.Find("resnet50"), Zoo.Find("ResNet50"));
        Assert.Null(Zoo.Resolve("resnet50").Weights);
        Assert.Null(Zoo.FindFile("resnet50"));
        Assert.Null(Zoo.FindFile("nonsense.imagenet1k_v1"));
        Assert.Equal("IMAGENET1K_V2", Zoo.Find("resnet50").GetWeights("default").Name);
    }

    [Theory]
    [InlineData("resnt50", "resnet50")]
    [InlineData("resnet5", "resnet50")]
    [InlineData("mobilenet_v3_smal", "mobilenet_v3_small")]
    [InlineData("efficientnet-b0", "efficientnet_b0")]
    [InlineData("VGG16-BN", "vgg16_bn")]
    [InlineData("convnext-tiny.imagenet1k_v1", "convnext_tiny")]
    public void TyposSuggestTheClosestName(string typo, string suggestion)
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Zoo.Find(typo));
        Assert.Contains($"Did you mean '{suggestion}'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("resnet18", error.Message, StringComparison.Ordinal); // and lists the known names
    }

    [Fact]
    public void FarOffNamesListTheKnownNamesWithoutAGuess()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Zoo.Find("inception_v3"));
        Assert.DoesNotContain("Did you mean", error.Message, StringComparison.Ordinal);
        Assert.Contains("convnext_tiny", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTagsListThePublishedTags()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Zoo.Find("resnet50.imagenet1k_v3"));
        Assert.Contains("IMAGENET1K_V1, IMAGENET1K_V2", error.Message, StringComparison.Ordinal);
        var none = Assert.Throws<KeyNotFoundException>(() => Zoo.Create("resnet_mini", weights: "IMAGENET1K_V1"));
        Assert.Contains("no published weights", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConflictingTagsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Zoo.Create("resnet50.imagenet1k_v1", weights: "IMAGENET1K_V2"));
        Assert.Contains("IMAGENET1K_V1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedWeightsFixTheInputChannels()
    {
        var error = Assert.Throws<ArgumentException>(() => Zoo.Create("resnet18", weights: "IMAGENET1K_V1", inChannels: 1));
        Assert.Contains("3-channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingWeightsOfflineFailWithTheFileToFetch()
    {
        string cache = Path.Combine(Path.GetTempPath(), $"graft-zoo-offline-{Guid.NewGuid():N}");
        try
        {
            var error = Assert.Throws<FileUnavailableException>(() =>
                Zoo.Create("resnet18.imagenet1k_v1", download: new DownloadOptions { CacheFolder = cache, Offline = true }));
            Assert.Contains("resnet18-f37072fd.pth", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void ImageNetCategoriesAreTorchvisionsThousand()
    {
        var names = ImageNetCategories.All;
        Assert.Equal(1000, names.Count);
        Assert.Equal(1000, names.Distinct().Count());
        Assert.Equal("tench", names[0]);
        Assert.Equal("goldfish", names[1]);
        Assert.Equal("toilet tissue", names[999]);
        Assert.All(names, n => Assert.Equal(n.Trim(), n));
    }

    [GeneratedRegex("^[A-Z0-9]+(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnake();

    [GeneratedRegex("^[a-z0-9]+(_[a-z0-9]+)*$")]
    private static partial Regex LowerSnake();

    [GeneratedRegex("^[0-9a-f]{8}$")]
    private static partial Regex EightHex();

    [GeneratedRegex("-([0-9a-f]{8})\\.pth$")]
    private static partial Regex HashSuffix();
}
