using System.Security.Cryptography;
using Graft.Data;
using Graft.Experiments;
using Graft.Training;

namespace Graft.Tests.Experiments;

public class DemoDataTests
{
    internal static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"'{relative}' not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void ShippedFilesMatchTheirRecordedSha256()
    {
        string folder = RepositoryFile(FashionMnistTransfer.ShippedDataFolder);
        var lines = File.ReadAllLines(Path.Combine(folder, "SHA256SUMS")).Where(l => l.Length > 0).ToList();
        Assert.Equal(5, lines.Count);
        foreach (var line in lines)
        {
            var parts = line.Split("  ");
            using var stream = File.OpenRead(Path.Combine(folder, parts[1]));
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
    }

    [Fact]
    public void TheShippedBaseIsASavedResnetMiniForTheSourceClasses()
    {
        var info = SavedModel.ReadInfo(RepositoryFile(FashionMnistTransfer.ShippedBaseFile));
        Assert.Equal("resnet_mini", info.Architecture);
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat"], info.ClassNames);
        Assert.Equal(1, info.InputChannels);
        var (model, _) = SavedModel.Load(RepositoryFile(FashionMnistTransfer.ShippedBaseFile));
        Assert.Equal(308_074 - 128 * 10 - 10 + 128 * 5 + 5, Graft.Layers.WeightCounts.Of(model).Parameters);
    }

    [Fact]
    public void ShippedSubsetAndFullDatasetGiveTheSameTargetImages()
    {
        // The demo prints the same numbers on a machine with only the repository and one with the full dataset.
        Assert.True(File.Exists(Path.Combine(FashionMnist.DebianFolder, "train-images-idx3-ubyte.gz")),
            "Fashion-MNIST is missing: apt-get install -y dataset-fashion-mnist");
        var (fullPool, fullTest) = FashionMnistTransfer.TargetFromFull(FashionMnist.DebianFolder);
        var (shipPool, shipTest) = FashionMnistTransfer.TargetFromShipped(RepositoryFile(FashionMnistTransfer.ShippedDataFolder));
        Assert.Equal(5000, fullPool.Count);
        Assert.Equal(5000, fullTest.Count);
        foreach (var (a, b) in new[] { (fullPool, shipPool), (fullTest, shipTest) })
        {
            Assert.Equal(a.Count, b.Count);
            Assert.Equal(a.ClassNames, b.ClassNames);
            for (int i = 0; i < a.Count; i += 97)
            {
                Assert.Equal(a.GetLabel(i), b.GetLabel(i));
                Assert.Equal(a.Load(i, 28).Pixels.ToArray(), b.Load(i, 28).Pixels.ToArray());
            }
        }
    }
}
