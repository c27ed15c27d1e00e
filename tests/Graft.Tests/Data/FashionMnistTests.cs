using System.Security.Cryptography;
using Graft.Data;
using Graft.Data.Transforms;

namespace Graft.Tests.Data;

/// <summary>
/// Reads Debian's dataset-fashion-mnist package. These tests fail (never skip) when it is missing, and the failure
/// message says "apt-get install dataset-fashion-mnist".
/// </summary>
public class FashionMnistTests
{
    [Fact]
    public void LoadsDebiansPackageWithPublishedCountsLabelsAndStatistics()
    {
        InMemoryImages train = FashionMnist.LoadTrain();
        InMemoryImages test = FashionMnist.LoadTest();

        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal((28, 28, 1), (train.Width, train.Height, train.Channels));
        // The first labels as published (read from the files, and as Keras' fashion_mnist.load_data() shows them).
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], train.Labels()[..10]);
        Assert.Equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], test.Labels()[..10]);
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        Assert.All(train.CountPerClass(), n => Assert.Equal(6_000, n));
        Assert.All(test.CountPerClass(), n => Assert.Equal(1_000, n));

        // Published pixel statistics of the training set (pixels / 255): mean 0.2860, std 0.3530.
        double sum = 0, squares = 0;
        foreach (byte v in train.Pixels)
        {
            double x = v / 255.0;
            sum += x;
            squares += x * x;
        }
        double n = train.Pixels.Length, mean = sum / n, std = Math.Sqrt(squares / n - mean * mean);
        Assert.Equal(0.2860, Math.Round(mean, 4));
        Assert.Equal(0.3530, Math.Round(std, 4));
    }

    [Fact]
    public void DebiansFilesHaveThePublishedContent()
    {
        string folder = FashionMnist.Locate();
        FashionMnist.Verify(folder);
    }

    [Fact]
    public void SourceAndTargetTasksSelectAndRelabelClasses()
    {
        InMemoryImages test = FashionMnist.LoadTest();
        SourceView source = test.SelectClasses(0, 1, 2, 3, 4);
        SourceView target = test.SelectClasses(5, 6, 7, 8, 9);

        Assert.Equal(5_000, source.Count);
        Assert.Equal(5_000, target.Count);
        Assert.Equal(["Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], target.ClassNames);
        for (int i = 0; i < target.Count; i++)
            Assert.Equal(test.GetLabel(target.SourceIndices[i]) - 5, target.GetLabel(i));

        // Through the loader: 1-channel 28×28 in, 3-channel 32×32 normalised out, labels 0..4.
        var pipeline = new ImagePipeline([Resize.To(32, 32)], OutputFormat.ImageNet);
        Batch batch = new DataLoader(target, pipeline, LoaderOptions.Evaluation with { BatchSize = 64 }).Epoch(0).First();
        using (batch)
        {
            Assert.Equal([64, 3, 32, 32], batch.X.shape);
            long[] labels = batch.Y.data<long>().ToArray();
            Assert.All(labels, l => Assert.InRange(l, 0, 4));
            Assert.Equal(test.GetLabel(target.SourceIndices[0]) - 5, labels[0]);
        }
    }

    [Fact]
    public void TheRepositorysDemoSubsetIsTheTargetClassesOfTheFullDataset()
    {
        string data = Path.Combine(RepositoryRoot(), "data", "fashion-mnist");
        InMemoryImages test = InMemoryImages.FromIdx(Path.Combine(data, "target-test-images-idx3-ubyte.gz"),
            Path.Combine(data, "target-test-labels-idx1-ubyte.gz"), FashionMnist.ClassNames, "demo/test");
        SourceView demo = test.SelectClasses(5, 6, 7, 8, 9);
        SourceView full = FashionMnist.LoadTest().SelectClasses(5, 6, 7, 8, 9);

        Assert.Equal(5_000, demo.Count);
        Assert.Equal(full.Labels(), demo.Labels());
        RawImage first = demo.Load(0, 0), expected = full.Load(0, 0);
        Assert.True(first.Pixels.SequenceEqual(expected.Pixels));
    }

    private static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Graft.slnx"))) return dir;
        throw new DirectoryNotFoundException("Graft.slnx not found above the test binaries.");
    }

    [Fact]
    public void MissingDataErrorSaysHowToGetIt()
    {
        using var temp = new TempFolder();
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.LocateIn([temp.Path]));
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Contains("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz", error.Message);
        Assert.Contains(FashionMnist.TrainImages.Sha256, error.Message);
        Assert.Contains(temp.Path, error.Message);
    }

    [Fact]
    public void ExplicitFolderComesFirstAndMayHoldDecompressedFiles()
    {
        using var temp = new TempFolder();
        // Decompressed copies of the test files, and gzipped train files: both forms are accepted.
        foreach (DatasetFile file in FashionMnist.Files)
        {
            string original = FashionMnist.FindFile(FashionMnist.Locate(), file)!;
            if (file.FileName.StartsWith("t10k"))
            {
                using var input = new System.IO.Compression.GZipStream(File.OpenRead(original), System.IO.Compression.CompressionMode.Decompress);
                using var output = File.Create(Path.Combine(temp.Path, file.DecompressedName));
                input.CopyTo(output);
            }
            else
            {
                File.Copy(original, Path.Combine(temp.Path, file.FileName));
            }
        }

        Assert.Equal(temp.Path, FashionMnist.Locate(temp.Path));
        FashionMnist.Verify(temp.Path);
        Assert.Equal(10_000, FashionMnist.LoadTest(temp.Path).Count);
    }

    [Fact]
    public async Task DownloadHookFetchesMissingFilesAndRejectsWrongContent()
    {
        string debian = FashionMnist.Locate();
        using var temp = new TempFolder();
        var fetched = new List<string>();
        RemoteFileFetcher copyFromDebian = (file, destination, _) =>
        {
            fetched.Add(file.FileName);
            File.Copy(FashionMnist.FindFile(debian, file)!, destination);
            return Task.CompletedTask;
        };
        File.Copy(FashionMnist.FindFile(debian, FashionMnist.TestLabels)!, temp[FashionMnist.TestLabels.FileName]);

        string folder = await FashionMnist.DownloadAsync(copyFromDebian, temp.Path);

        Assert.Equal(temp.Path, folder);
        Assert.Equal(["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"], fetched);

        using var bad = new TempFolder();
        RemoteFileFetcher garbage = (file, destination, _) =>
        {
            File.WriteAllBytes(destination, RandomNumberGenerator.GetBytes(100));
            return Task.CompletedTask;
        };
        await Assert.ThrowsAnyAsync<InvalidDataException>(() => FashionMnist.DownloadAsync(garbage, bad.Path));
        Assert.False(File.Exists(bad[FashionMnist.TrainImages.FileName]));
    }

    [Fact]
    public void RemoteFileListIsCompleteAndWellFormed()
    {
        Assert.Equal(4, FashionMnist.Files.Count);
        Assert.Equal(10, FashionMnist.ClassNames.Count);
        foreach (DatasetFile file in FashionMnist.Files)
        {
            Assert.Equal($"http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/{file.FileName}", file.Url.ToString());
            Assert.Matches("^[0-9a-f]{64}$", file.Sha256);
            Assert.Matches("^[0-9a-f]{64}$", file.ContentSha256);
            Assert.Matches("^[0-9a-f]{32}$", file.Md5);
        }
    }
}
