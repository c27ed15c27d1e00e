using Graft.Data;
using SkiaSharp;

namespace Graft.Tests.Data;

/// <summary>Creates real image files (encoded by SkiaSharp) and temporary folders for the data tests.</summary>
internal static class TestImages
{
    /// <summary>Distinct, saturated colours: class k is dominated by channel k % 3.</summary>
    public static (byte R, byte G, byte B) ClassColor(int label) => (label % 3) switch
    {
        0 => (210, 40, 30),
        1 => (30, 200, 40),
        _ => (40, 30, 220),
    };

    /// <summary>An RGB bitmap: a base colour with a deterministic texture (gradients and a checkerboard).</summary>
    public static SKBitmap Pattern(int width, int height, (byte R, byte G, byte B) color, int seed = 0)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var random = new Random(seed);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int texture = ((x / 8 + y / 8) % 2 == 0 ? 12 : -12) + (x * 17 / width) - (y * 11 / height) + random.Next(-6, 7);
                bitmap.SetPixel(x, y, new SKColor(Clamp(color.R + texture), Clamp(color.G + texture), Clamp(color.B + texture)));
            }
        return bitmap;
    }

    /// <summary>A detailed RGB picture (edges, gradients, noise) for resampling comparisons.</summary>
    public static SKBitmap Detailed(int width, int height, int seed)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var random = new Random(seed);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                byte r = Clamp(x * 255 / width + random.Next(-20, 21));
                byte g = Clamp(((x / 5 + y / 7) % 2) * 180 + 30 + random.Next(-10, 11));
                byte b = Clamp((int)(127 + 120 * Math.Sin(x * 0.21) * Math.Cos(y * 0.13)));
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        return bitmap;
    }

    public static void Save(SKBitmap bitmap, string path, SKEncodedImageFormat format, int quality = 90)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"Skia could not encode {format}.");
        File.WriteAllBytes(path, data.ToArray());
    }

    public static void WriteClassImage(string path, int label, int width = 40, int height = 30, int seed = 0)
    {
        using SKBitmap bitmap = Pattern(width, height, ClassColor(label), seed);
        Save(bitmap, path, path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg);
    }

    /// <summary>Which channel has the largest mean in a channels-first image: recovers the class of <see cref="ClassColor"/>.</summary>
    public static int DominantChannel(ReadOnlySpan<float> chw, int plane)
    {
        int best = 0;
        double bestMean = double.MinValue;
        for (int c = 0; c < 3; c++)
        {
            double mean = 0;
            foreach (float v in chw.Slice(c * plane, plane)) mean += v;
            if (mean > bestMean) (best, bestMean) = (c, mean);
        }
        return best;
    }

    /// <summary>A raw image filled by <paramref name="value"/>(x, y, c).</summary>
    public static RawImage Raw(int width, int height, int channels, Func<int, int, int, int> value)
    {
        byte[] pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    pixels[(y * width + x) * channels + c] = Clamp(value(x, y, c));
        return new RawImage(width, height, channels, pixels);
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "graft-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
