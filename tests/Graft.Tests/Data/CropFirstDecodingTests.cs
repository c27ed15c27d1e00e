using Graft.Data;
using Graft.Data.Transforms;
using SkiaSharp;

namespace Graft.Tests.Data;

/// <summary>
/// When a training pipeline starts with <see cref="RandomResizedCrop"/>, file sources decode only the crop (and, for
/// large photos, at a reduced JPEG scale). These tests hold that shortcut to the plain path.
/// </summary>
[Collection(DecoderSwitch.Name)]
public class CropFirstDecodingTests
{
    /// <summary>The same files, seen through a source without region support (so the loader decodes whole images).</summary>
    private sealed class WholeImagesOnly(IImageSource inner) : IImageSource
    {
        public int Count => inner.Count;
        public IReadOnlyList<string> ClassNames => inner.ClassNames;
        public int TargetCount => inner.TargetCount;
        public int GetLabel(int index) => inner.GetLabel(index);
        public void GetTargets(int index, Span<float> destination) => inner.GetTargets(index, destination);
        public string Describe(int index) => inner.Describe(index);
        public RawImage Load(int index, int minimumShorterSide) => inner.Load(index, minimumShorterSide);
    }

    private static float[][] Batches(IImageSource source, ImagePipeline pipeline) =>
        new DataLoader(source, pipeline, new LoaderOptions { BatchSize = 5, Seed = 77 }).Epoch(2)
            .Select(b => { using (b) return b.X.data<float>().ToArray(); }).ToArray();

    private static ImagePipeline Training(int size) =>
        new([new RandomResizedCrop(size), new RandomHorizontalFlip(), new RandomRotation(10)], OutputFormat.ImageNet);

    [Fact]
    public void DecodingOnlyTheCropGivesBitIdenticalBatches()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 10; i++)
            using (SKBitmap photo = TestImages.Detailed(150 + 7 * i, 110 + 3 * i, seed: i))
                TestImages.Save(photo, temp[$"c{i % 2}/{i}.{(i == 3 ? "png" : "jpg")}"], i == 3 ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg);
        ImageFolder folder = ImageFolder.Open(temp.Path);

        // Output 120 px from images of at most 213x137 (shorter side ≤ 137 < 120 · 8/7): no crop can be decoded at a reduced scale, so only the
        // region shortcut itself is under test.
        float[][] whole = Batches(new WholeImagesOnly(folder), Training(120));
        float[][] cropFirst = Batches(folder, Training(120));
        float[][] cropFirstSkia = DecoderSwitch.WithSkia(() => Batches(folder, Training(120)));
        float[][] cropFirstView = Batches(folder.SplitTrainValidation(0.2, 1).Training, Training(120));

        Assert.Equal(whole.Length, cropFirst.Length);
        for (int b = 0; b < whole.Length; b++)
        {
            Assert.True(whole[b].AsSpan().SequenceEqual(cropFirst[b]), $"batch {b}: crop-first decoding changed the result");
            Assert.True(whole[b].AsSpan().SequenceEqual(cropFirstSkia[b]), $"batch {b}: SkiaSharp's row-range decoding changed the result");
        }
        Assert.NotEmpty(cropFirstView);
    }

    [Fact]
    public void LargePhotosAreDecodedAtAReducedScaleWithNearlyTheSameResult()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 4; i++)
            using (SKBitmap photo = Smooth(1600, 1200, phase: i))
                TestImages.Save(photo, temp[$"only/{i}.jpg"], SKEncodedImageFormat.Jpeg, 92);
        ImageFolder folder = ImageFolder.Open(temp.Path);
        // Crops cover 50-100% of the area, i.e. at least ~850 px, shown at 64 px: libjpeg can decode at 1/8 – 1/4.
        var pipeline = new ImagePipeline([new RandomResizedCrop(64, minScale: 0.5)], new OutputFormat { Scale = PixelScale.Raw });

        (RawImage image, RegionPlacement placement) = folder.LoadRegion(0, (w, h) => new RegionRequest(0, 0, w, h, 64));
        Assert.True(image.Width <= 400, $"decoded at {image.Width}x{image.Height}; expected a reduced scale");
        Assert.Equal(image.Width / 1600.0, placement.ScaleX, 9);
        image.ReturnToPool();

        float[][] reduced = Batches(folder, pipeline);
        float[][] full = Batches(new WholeImagesOnly(folder), pipeline);
        // DCT-domain reduction averages like an area filter while the full-size path samples bilinearly; on a smooth
        // photo-like picture they agree to well within a grey level on average (fine texture would alias in the
        // full-size path only, which is why the reduced path is also the better-looking one).
        double sum = 0;
        int count = 0;
        for (int b = 0; b < full.Length; b++)
            for (int i = 0; i < full[b].Length; i++, count++) sum += Math.Abs(full[b][i] - reduced[b][i]);
        Assert.True(sum / count < 1.0, $"mean difference {sum / count:F3} grey levels");
    }

    private static SKBitmap Smooth(int width, int height, int phase)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        byte[] rgba = new byte[width * height * 4];
        for (int y = 0, o = 0; y < height; y++)
            for (int x = 0; x < width; x++, o += 4)
            {
                rgba[o] = (byte)(x * 255 / width);
                rgba[o + 1] = (byte)(y * 255 / height);
                rgba[o + 2] = (byte)(127 + 120 * Math.Sin(x * 0.01 + phase) * Math.Cos(y * 0.013));
                rgba[o + 3] = 255;
            }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
