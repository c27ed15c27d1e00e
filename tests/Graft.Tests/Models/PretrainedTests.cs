using System.Security.Cryptography;
using Graft.IO;
using Graft.Models;
using Graft.Tests.IO;
using Graft.Tests.Parity;
using Graft.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Tests.Models;

/// <summary>
/// Building models from weight files: published weights fetched (here from a server on 127.0.0.1 standing in for
/// download.pytorch.org) and checked by their hash prefix, a pretrained base under a fresh head, and local files.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class PretrainedTests(TorchvisionOracle oracle) : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"graft-zoo-cache-{Guid.NewGuid():N}");

    [Fact]
    public void PublishedWeightsAreFetchedCheckedAndLoadedUnderAFreshHead()
    {
        string file = oracle.PathOf("resnet18.pth");
        byte[] bytes = File.ReadAllBytes(file);
        string prefix = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()[..8];
        using var server = new LocalHttpServer();
        server.Files[$"/models/resnet18-{prefix}.pth"] = bytes;

        var spec = Zoo.Find("resnet18");
        var published = spec.Default! with { Url = server.UrlFor($"/models/resnet18-{prefix}.pth"), Sha256 = prefix };
        var local = spec with { Weights = [published] };
        var download = new DownloadOptions { CacheFolder = _cache };

        using var model = local.CreatePretrained(published, numClasses: 5, download: download);
        Assert.True(File.Exists(Path.Combine(_cache, published.FileName)));
        using var expected = StateDict.Load(file);
        var state = model.state_dict();
        foreach (var (key, tensor) in expected)
        {
            if (key.StartsWith("fc.", StringComparison.Ordinal)) continue;
            Assert.True(tensor.equal(state[key]).all().item<bool>(), $"'{key}' differs from the published file.");
        }
        Assert.Equal(new long[] { 5, 512 }, state["fc.weight"].shape);

        // Frozen base, fresh head: only the 5-class layer trains.
        model.Layers[..^1].Freeze();
        Assert.Equal(2_565, model.Layers.Counts.TrainableParameters);

        // The cached copy is used without asking the server again.
        int requests = server.Requests.Count;
        using var again = local.CreatePretrained(published, download: download);
        Assert.Equal(requests, server.Requests.Count);
        Assert.Equal(1000, ((Linear)again.Head.Module).out_features);
    }

    [Fact]
    public void AFileWhoseHashDiffersFromThePublishedPrefixIsRefused()
    {
        byte[] bytes = File.ReadAllBytes(oracle.PathOf("resnet18.pth"));
        using var server = new LocalHttpServer();
        server.Files["/models/resnet18-00000000.pth"] = bytes;
        var spec = Zoo.Find("resnet18");
        var published = spec.Default! with { Url = server.UrlFor("/models/resnet18-00000000.pth"), Sha256 = "00000000" };
        var local = spec with { Weights = [published] };

        Assert.Throws<ChecksumMismatchException>(() => local.CreatePretrained(published, download: new DownloadOptions { CacheFolder = _cache }));
        Assert.False(File.Exists(Path.Combine(_cache, published.FileName)));
    }

    [Fact]
    public void LocalWeightFilesLoadExactlyOrSayWhatDoesNotFit()
    {
        string file = oracle.PathOf("mobilenet_v3_small.safetensors");
        using var model = Zoo.Create("mobilenet_v3_small", weights: file);
        using var expected = StateDict.Load(file);
        Assert.True(expected["features.1.block.1.fc1.weight"].equal(model.state_dict()["features.1.block.1.fc1.weight"]).all().item<bool>());

        var mismatch = Assert.Throws<StateDictMismatchException>(() => Zoo.Create("mobilenet_v3_small", weights: file, numClasses: 10));
        Assert.Contains("classifier.3.weight", mismatch.Message, StringComparison.Ordinal);
        var wrongArchitecture = Assert.Throws<StateDictMismatchException>(() => Zoo.Create("mobilenet_v3_large", weights: file));
        Assert.Contains("features", wrongArchitecture.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }
}
