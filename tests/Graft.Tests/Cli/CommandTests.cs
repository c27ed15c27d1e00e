using System.Security.Cryptography;
using System.Text.Json;
using Graft.Tests.IO;

namespace Graft.Tests.Cli;

/// <summary><c>graft models</c>, <c>summary</c> and <c>fetch</c>: the verbs that inspect and download.</summary>
[Collection("Cli")]
public class CommandTests(CliFixture data)
{
    [Fact]
    public void ModelsListsTheZooWithPublishedAccuracyAndCacheState()
    {
        var table = CliRunner.Run("models");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("resnet50", table.Output, StringComparison.Ordinal);
        Assert.Contains("IMAGENET1K_V2 (80.9%)", table.Output, StringComparison.Ordinal);
        Assert.Contains("11,689,512", table.Output, StringComparison.Ordinal);
        Assert.Contains("1×28×28", table.Output, StringComparison.Ordinal);

        var json = CliRunner.Run("models", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        var models = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(Graft.Models.Zoo.Names, models.Select(m => m.GetProperty("name").GetString()));
        var resnet18 = models.Single(m => m.GetProperty("name").GetString() == "resnet18");
        var weights = resnet18.GetProperty("weights")[0];
        Assert.Equal(69.758, weights.GetProperty("top1").GetDouble());
        Assert.False(weights.GetProperty("cached").GetBoolean());
        Assert.Equal(308_074, models.Single(m => m.GetProperty("name").GetString() == "resnet_mini").GetProperty("parameters").GetInt64());
        Assert.Equal("", json.Error);
    }

    [Fact]
    public void SummaryShowsLayersShapesParametersAndTrainability()
    {
        var full = CliRunner.Run("summary", "resnet_mini");
        Assert.True(full.ExitCode == 0, full.ToString());
        Assert.Contains("(1, 128, 7, 7)", full.Output, StringComparison.Ordinal);
        Assert.Contains("Total parameters:         308,074", full.Output, StringComparison.Ordinal);
        Assert.Contains("Trainable parameters:     308,074", full.Output, StringComparison.Ordinal);

        var tuned = CliRunner.Run("summary", "resnet_mini", "--unfreeze-top", "1", "--num-classes", "3", "--json");
        Assert.True(tuned.ExitCode == 0, tuned.ToString());
        using var json = JsonDocument.Parse(tuned.Output);
        Assert.Equal(230_144 + 387, json.RootElement.GetProperty("trainableParameters").GetInt64());
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().Where(l => l.GetProperty("depth").GetInt32() == 0)
            .ToDictionary(l => l.GetProperty("name").GetString()!, l => l);
        Assert.False(layers["layer2"].GetProperty("trainable").GetBoolean());
        Assert.True(layers["layer3"].GetProperty("trainable").GetBoolean());
        Assert.Equal([1, 3], layers["fc"].GetProperty("outputShape").EnumerateArray().Select(v => v.GetInt64()));

        var small = CliRunner.Run("summary", "resnet18", "--input-size", "64", "--freeze-base");
        Assert.True(small.ExitCode == 0, small.ToString());
        Assert.Contains("(1, 512, 2, 2)", small.Output, StringComparison.Ordinal);
        Assert.Contains("Trainable parameters:     513,000", small.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SummaryReadsSavedModelsAndWeightFiles()
    {
        var saved = CliRunner.Run("summary", data.BaseModel);
        Assert.True(saved.ExitCode == 0, saved.ToString());
        Assert.Contains("resnet_mini, input (1, 1, 28, 28)", saved.Output, StringComparison.Ordinal);
        Assert.Contains("(1, 3)", saved.Output, StringComparison.Ordinal);

        var file = CliRunner.Run("summary", data.MobileNetWeights, "--input-size", "96");
        Assert.True(file.ExitCode == 0, file.ToString());
        Assert.Contains("2,542,856", file.Output, StringComparison.Ordinal); // torchvision's published count
        Assert.Contains("as mobilenet_v3_small weights", file.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FetchPrintsWhereToGetWeightsByHandAndSaysSoWhenOffline()
    {
        var print = CliRunner.Run("fetch", "resnet50.imagenet1k_v1", "--print-url");
        Assert.True(print.ExitCode == 0, print.ToString());
        var lines = print.Output.Trim().Split('\n');
        Assert.Equal("https://download.pytorch.org/models/resnet50-0676ba61.pth", lines[0].Trim());
        Assert.EndsWith(Path.Combine("home", "weights", "resnet50-0676ba61.pth"), lines[1].Trim(), StringComparison.Ordinal);

        var offline = CliRunner.Run("fetch", "resnet18");
        Assert.True(offline.ExitCode == 1, offline.ToString());
        Assert.Contains("offline mode is on", offline.Error, StringComparison.Ordinal);
        Assert.Contains("https://download.pytorch.org/models/resnet18-f37072fd.pth", offline.Error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("weights", "resnet18-f37072fd.pth"), offline.Error, StringComparison.Ordinal);

        var none = CliRunner.Run("fetch", "resnet_mini");
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("has no published weights", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FetchDownloadsAWeightUrlIntoTheCacheAndChecksItsHash()
    {
        byte[] bytes = File.ReadAllBytes(data.MobileNetWeights);
        string prefix = Convert.ToHexStringLower(SHA256.HashData(bytes))[..8];
        using var server = new LocalHttpServer();
        server.Files[$"/w/mini-{prefix}.safetensors"] = bytes;
        server.Files["/w/bad-00000000.safetensors"] = bytes;
        string home = data.NewFolder("home");
        var online = new Dictionary<string, string> { ["GRAFT_OFFLINE"] = "0", ["GRAFT_HOME"] = home };

        var fetched = CliRunner.Run(TimeSpan.FromMinutes(2), online, "fetch", server.UrlFor($"/w/mini-{prefix}.safetensors"));
        Assert.True(fetched.ExitCode == 0, fetched.ToString());
        string cached = Path.Combine(home, "weights", $"mini-{prefix}.safetensors");
        Assert.Equal(cached, fetched.Output.Trim());
        Assert.Equal(bytes, File.ReadAllBytes(cached));
        Assert.Contains("Downloading", fetched.Error, StringComparison.Ordinal);

        var again = CliRunner.Run(TimeSpan.FromMinutes(2), online, "fetch", server.UrlFor($"/w/mini-{prefix}.safetensors"), "--json");
        using (var json = JsonDocument.Parse(again.Output)) Assert.True(json.RootElement.GetProperty("alreadyCached").GetBoolean());
        Assert.Single(server.Requests, r => r.Path.StartsWith("/w/mini", StringComparison.Ordinal)); // the second fetch used the cache

        var tampered = CliRunner.Run(TimeSpan.FromMinutes(2), online, "fetch", server.UrlFor("/w/bad-00000000.safetensors"));
        Assert.True(tampered.ExitCode == 1, tampered.ToString());
        Assert.Contains("SHA-256", tampered.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(home, "weights", "bad-00000000.safetensors")));
    }
}
