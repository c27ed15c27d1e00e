using System.Buffers;
using SkiaSharp;

namespace Graft.Data;

/// <summary>
/// Decodes JPEG, PNG, BMP, GIF (first frame) and WebP files into <see cref="RawImage"/>s with SkiaSharp.
/// Grayscale files stay 1-channel; colour and alpha files become RGB (alpha is dropped, as PIL's
/// <c>convert("RGB")</c> does). EXIF orientation and ICC profiles are ignored, as in torchvision's loader.
/// JPEGs are decoded by the system's libjpeg-turbo when its TurboJPEG library is installed (package
/// <c>libturbojpeg0</c>; about twice as fast), else by SkiaSharp.
/// </summary>
public static class ImageDecoder
{
    /// <summary>File extensions (lower case, with the dot) treated as images by the folder and CSV sources.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];

    /// <summary>Which library decodes JPEG files here: the system's libturbojpeg when installed, else SkiaSharp.</summary>
    public static string JpegDecoder => TurboJpeg.IsInstalled && TurboJpeg.Enabled ? "libturbojpeg (system libjpeg-turbo)" : "SkiaSharp";

    /// <summary>Whether <paramref name="path"/> ends in one of <see cref="Extensions"/> (case-insensitive).</summary>
    public static bool HasImageExtension(string path)
    {
        string extension = Path.GetExtension(path);
        foreach (string known in Extensions)
            if (extension.Equals(known, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>Reads and decodes the image file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="minimumShorterSide">
    /// When positive, a JPEG may be decoded at a reduced scale (1/8 steps, done by the JPEG decoder itself and much
    /// faster) as long as its shorter side stays at least this many pixels. 0 decodes at full size.
    /// </param>
    /// <exception cref="BadImageException">When the file cannot be read or is not a complete image.</exception>
    public static RawImage DecodeFile(string path, int minimumShorterSide = 0)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadImageException(path, e.Message, e);
        }
        return Decode(bytes, path, minimumShorterSide);
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="name">What to call the image in errors (usually its path).</param>
    /// <param name="minimumShorterSide">See <see cref="DecodeFile"/>.</param>
    /// <exception cref="BadImageException">When the bytes are not a complete image in a supported format.</exception>
    public static RawImage Decode(byte[] encoded, string name, int minimumShorterSide = 0)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length == 0) throw new BadImageException(name, "the file is empty");
        if (TurboJpeg.TryDecode(encoded, minimumShorterSide) is { } fast) return fast;
        using var data = SKData.CreateCopy(encoded);
        // SKCodec.Create returns null (instead of throwing, as SKBitmap.Decode does) for bytes it cannot identify.
        using var codec = SKCodec.Create(data);
        if (codec is null) throw new BadImageException(name, "not a JPEG, PNG, BMP, GIF or WebP image (unknown or damaged header)");

        SKImageInfo encodedInfo = codec.Info;
        if (encodedInfo.Width <= 0 || encodedInfo.Height <= 0)
            throw new BadImageException(name, $"invalid size {encodedInfo.Width}x{encodedInfo.Height}");
        SKSizeI size = ChooseDecodeSize(codec, minimumShorterSide);
        bool gray = encodedInfo.ColorType == SKColorType.Gray8;
        return gray ? DecodeGray(codec, size, name) : DecodeRgb(codec, size, name);
    }

    private static SKSizeI ChooseDecodeSize(SKCodec codec, int minimumShorterSide)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        if (minimumShorterSide <= 0 || codec.EncodedFormat != SKEncodedImageFormat.Jpeg) return full;
        // libjpeg-turbo decodes at k/8 of the size for k = 1..8; take the smallest that keeps enough pixels.
        for (int eighths = 1; eighths < 8; eighths++)
        {
            SKSizeI scaled = codec.GetScaledDimensions(eighths / 8f);
            if (Math.Min(scaled.Width, scaled.Height) >= minimumShorterSide) return scaled;
        }
        return full;
    }

    private static unsafe RawImage DecodeGray(SKCodec codec, SKSizeI size, string name)
    {
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        RawImage image = RawImage.Rent(size.Width, size.Height, 1);
        try
        {
            fixed (byte* pixels = image.Pixels) Check(codec.GetPixels(info, (IntPtr)pixels, size.Width, new SKCodecOptions()), name);
            return image;
        }
        catch
        {
            image.ReturnToPool();
            throw;
        }
    }

    private static unsafe RawImage DecodeRgb(SKCodec codec, SKSizeI size, string name)
    {
        // Skia has no packed 3-byte format: decode RGBA (unpremultiplied, so colours are the stored ones) and pack.
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        int pixelCount = size.Width * size.Height;
        byte[] rgba = ArrayPool<byte>.Shared.Rent(pixelCount * 4);
        try
        {
            fixed (byte* rgbaPointer = rgba)
            {
                Check(codec.GetPixels(info, (IntPtr)rgbaPointer), name);
            }
            RawImage image = RawImage.Rent(size.Width, size.Height, 3);
            PackRgbaToRgb(rgba, image.Pixels, pixelCount);
            return image;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static void PackRgbaToRgb(ReadOnlySpan<byte> rgba, Span<byte> rgb, int pixelCount)
    {
        for (int i = 0, s = 0, d = 0; i < pixelCount; i++, s += 4, d += 3)
        {
            rgb[d] = rgba[s];
            rgb[d + 1] = rgba[s + 1];
            rgb[d + 2] = rgba[s + 2];
        }
    }

    private static void Check(SKCodecResult result, string name)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                throw new BadImageException(name, "the file is truncated (incomplete image data)");
            default:
                throw new BadImageException(name, $"the decoder failed ({result})");
        }
    }
}
