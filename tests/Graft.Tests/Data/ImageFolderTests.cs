using Graft.Data;
using Graft.Data.Transforms;
using SkiaSharp;

namespace Graft.Tests.Data;

public class ImageFolderTests
{
    [Fact]
    public void ClassesAreSortedSubfoldersAndOtherFilesAreIgnored()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["zebra/b.png"], 2);
        TestImages.WriteClassImage(temp["zebra/a.jpg"], 2);
        TestImages.WriteClassImage(temp["Apple/nested/x.JPEG"], 0);
        TestImages.WriteClassImage(temp["bird/1.png"], 1);
        File.WriteAllText(temp["bird/notes.txt"], "not an image");
        File.WriteAllText(temp["bird/.hidden.png"], "hidden");

        ImageFolder folder = ImageFolder.Open(temp.Path);

        Assert.Equal(["Apple", "bird", "zebra"], folder.ClassNames); // ordinal: upper case first
        Assert.Equal(4, folder.Count);
        Assert.Equal([0, 1, 2, 2], folder.Labels());
        Assert.EndsWith(Path.Combine("zebra", "a.jpg"), folder.Paths[2]);
        Assert.EndsWith(Path.Combine("zebra", "b.png"), folder.Paths[3]);
    }

    [Fact]
    public void BadFilesAreSkippedCountedAndNamedAndTheRestLoadWithCorrectLabels()
    {
        using var temp = new TempFolder();
        string[] classes = ["a_red", "b_green", "c_blue"];
        for (int label = 0; label < 3; label++)
            for (int i = 0; i < 4; i++)
                TestImages.WriteClassImage(temp[$"{classes[label]}/{i}.{(i % 2 == 0 ? "png" : "jpg")}"], label, 48, 36, seed: label * 10 + i);
        // A truncated JPEG, a zero-byte file and a text file renamed .jpg.
        byte[] jpeg = File.ReadAllBytes(temp["a_red/1.jpg"]);
        File.WriteAllBytes(temp["a_red/truncated.jpg"], jpeg[..(jpeg.Length / 2)]);
        File.WriteAllBytes(temp["b_green/empty.jpg"], []);
        File.WriteAllText(temp["c_blue/text.jpg"], "this is not a JPEG at all\n");

        var warnings = new List<string>();
        var loader = new DataLoader(ImageFolder.Open(temp.Path),
            new ImagePipeline([Resize.To(32, 24)]),
            new LoaderOptions { BatchSize = 5, Workers = 2, Seed = 3, Warning = warnings.Add });
        var seen = new List<(int Index, int Label)>();
        foreach (Batch batch in loader.Epoch(0))
            using (batch)
            {
                float[] x = batch.X.data<float>().ToArray();
                long[] y = batch.Y.data<long>().ToArray();
                Assert.Equal([batch.Count, 3, 24, 32], batch.X.shape);
                for (int k = 0; k < batch.Count; k++)
                {
                    int dominant = TestImages.DominantChannel(x.AsSpan(k * 3 * 24 * 32, 3 * 24 * 32), 24 * 32);
                    Assert.Equal((int)y[k], dominant);
                    seen.Add((batch.Indices![k], (int)y[k]));
                }
            }

        EpochStats stats = loader.LastEpoch!;
        Assert.Equal(12, stats.Samples);
        Assert.Equal(3, stats.Skipped.Count);
        Assert.Equal(12, seen.Select(s => s.Index).Distinct().Count());
        string[] skippedNames = stats.Skipped.Select(s => Path.GetFileName(s.Name)).Order().ToArray();
        Assert.Equal(["empty.jpg", "text.jpg", "truncated.jpg"], skippedNames);
        Assert.Contains(stats.Skipped, s => s.Name.EndsWith("truncated.jpg") && s.Reason.Contains("truncated"));
        Assert.Contains(stats.Skipped, s => s.Name.EndsWith("empty.jpg") && s.Reason.Contains("empty"));
        Assert.Equal(3, warnings.Count);
        Assert.All(skippedNames, name => Assert.Contains(warnings, w => w.Contains(name)));

        // A second epoch counts them again but warns only once per file.
        foreach (Batch batch in loader.Epoch(1)) batch.Dispose();
        Assert.Equal(3, loader.LastEpoch!.Skipped.Count);
        Assert.Equal(3, warnings.Count);
    }

    [Fact]
    public void GrayscaleAndAlphaImagesBecomeRgb()
    {
        using var temp = new TempFolder();
        using (var gray = new SKBitmap(new SKImageInfo(10, 8, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            gray.Erase(new SKColor(77, 77, 77));
            TestImages.Save(gray, temp["g/gray.png"], SKEncodedImageFormat.Png);
        }
        using (var rgba = new SKBitmap(new SKImageInfo(10, 8, SKColorType.Rgba8888, SKAlphaType.Unpremul)))
        {
            rgba.Erase(new SKColor(200, 100, 50, 128));
            TestImages.Save(rgba, temp["g/alpha.png"], SKEncodedImageFormat.Png);
        }

        RawImage grayImage = ImageDecoder.DecodeFile(temp["g/gray.png"]);
        RawImage alphaImage = ImageDecoder.DecodeFile(temp["g/alpha.png"]);
        Assert.Equal(1, grayImage.Channels);
        Assert.All(grayImage.Pixels.ToArray(), v => Assert.Equal(77, v));
        Assert.Equal(3, alphaImage.Channels);
        Assert.Equal([200, 100, 50], alphaImage.Pixels[..3].ToArray()); // unpremultiplied colour, alpha dropped

        float[] expanded = new ImagePipeline([], new OutputFormat { Scale = PixelScale.Raw }).Process(grayImage, false, new Random(0));
        Assert.Equal(3 * 10 * 8, expanded.Length);
        Assert.All(expanded, v => Assert.Equal(77f, v));
    }

    [Fact]
    public void EmptyClassFolderIsAnErrorNamingTheFolder()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["cats/1.png"], 0);
        Directory.CreateDirectory(temp["dogs"]);
        File.WriteAllText(temp["dogs/readme.txt"], "no pictures yet");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Open(temp.Path));
        Assert.Contains(temp["dogs"], error.Message);
        Assert.Contains("has no images", error.Message);
    }

    [Fact]
    public void FolderWithoutClassSubfoldersIsAnError()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["loose.png"], 0);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Open(temp.Path));
        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("no class subfolders", error.Message);
        Assert.Contains("1 image(s) directly", error.Message);

        using var empty = new TempFolder();
        Assert.Contains("no class subfolders", Assert.Throws<InvalidDataException>(() => ImageFolder.Open(empty.Path)).Message);
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Open(empty["missing"]));
    }

    [Fact]
    public void ReducedJpegDecodingKeepsTheRequestedShorterSide()
    {
        using var temp = new TempFolder();
        using (SKBitmap big = TestImages.Detailed(640, 480, 1)) TestImages.Save(big, temp["big.jpg"], SKEncodedImageFormat.Jpeg);

        RawImage full = ImageDecoder.DecodeFile(temp["big.jpg"]);
        RawImage reduced = ImageDecoder.DecodeFile(temp["big.jpg"], minimumShorterSide: 100);
        Assert.Equal((640, 480), (full.Width, full.Height));
        Assert.Equal((160, 120), (reduced.Width, reduced.Height)); // 2/8 is the smallest scale with shorter side >= 100
        Assert.True(Math.Min(reduced.Width, reduced.Height) >= 100);
    }
}
