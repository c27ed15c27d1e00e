using SkiaSharp;

namespace Graft.Bench.DataPipeline;

/// <summary>Writes a folder of photo-sized JPEGs (class subfolders) with enough texture to cost a realistic decode.</summary>
public static class BenchImages
{
    /// <summary>Creates <paramref name="count"/> JPEGs of <paramref name="width"/> × <paramref name="height"/> in <paramref name="classes"/> subfolders.</summary>
    public static void Generate(string folder, int count, int width, int height, int classes = 5, int seed = 0)
    {
        var random = new Random(seed);
        byte[] pixels = new byte[width * height * 4];
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int i = 0; i < count; i++)
        {
            Paint(pixels, width, height, random);
            using var bitmap = new SKBitmap(info);
            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
            string path = Path.Combine(folder, $"class{i % classes}", $"{i:D5}.jpg");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using SKData jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(path, jpeg.ToArray());
        }
    }

    /// <summary>Smooth colour fields, a few hard-edged blobs and sensor-like noise.</summary>
    private static void Paint(byte[] rgba, int width, int height, Random random)
    {
        double fx = random.NextDouble() * 0.05, fy = random.NextDouble() * 0.05, phase = random.NextDouble() * 6;
        var blobs = Enumerable.Range(0, 12).Select(_ => (X: random.Next(width), Y: random.Next(height), R: random.Next(10, 60), C: random.Next(256))).ToArray();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int r = (int)(128 + 100 * Math.Sin(x * fx + phase)), g = (int)(128 + 100 * Math.Cos(y * fy)), b = (x + y) * 255 / (width + height);
                foreach (var blob in blobs)
                    if ((x - blob.X) * (x - blob.X) + (y - blob.Y) * (y - blob.Y) < blob.R * blob.R) { r = blob.C; g = 255 - blob.C; }
                int noise = random.Next(-12, 13), o = (y * width + x) * 4;
                rgba[o] = (byte)Math.Clamp(r + noise, 0, 255);
                rgba[o + 1] = (byte)Math.Clamp(g + noise, 0, 255);
                rgba[o + 2] = (byte)Math.Clamp(b + noise, 0, 255);
                rgba[o + 3] = 255;
            }
    }
}
