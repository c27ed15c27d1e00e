using System.Buffers;
using Graft.Data.Transforms;
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
        return Decode(ReadFile(path), path, minimumShorterSide);
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
        if (TurboJpeg.Enabled && TurboJpeg.TryDecode(encoded, minimumShorterSide) is { } fast) return fast;
        using SKCodec codec = OpenCodec(encoded, name);
        SKImageInfo encodedInfo = codec.Info;
        SKSizeI size = ChooseDecodeSize(codec, minimumShorterSide);
        bool gray = encodedInfo.ColorType == SKColorType.Gray8;
        return gray ? DecodeGray(codec, size, name) : DecodeRgb(codec, size, name);
    }

    /// <summary>Reads the image file at <paramref name="path"/> and decodes the region <paramref name="choose"/> asks for.</summary>
    /// <exception cref="BadImageException">When the file cannot be read or is not a complete image.</exception>
    public static (RawImage Image, RegionPlacement Placement) DecodeFileRegion(string path, Func<int, int, RegionRequest> choose)
    {
        return DecodeRegion(ReadFile(path), path, choose);
    }

    /// <summary>
    /// Decodes what <paramref name="choose"/> (given the full width and height) asks for: for JPEGs, at the smallest
    /// k/8 scale that keeps the region's shorter side at the requested length and — when decoding through
    /// SkiaSharp — only the region's columns and rows (the rest of the file is still read, so truncation is caught).
    /// Other formats are decoded whole. <paramref name="choose"/> is called exactly once.
    /// </summary>
    /// <exception cref="BadImageException">When the bytes are not a complete image in a supported format.</exception>
    public static (RawImage Image, RegionPlacement Placement) DecodeRegion(byte[] encoded, string name, Func<int, int, RegionRequest> choose)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(choose);
        if (encoded.Length == 0) throw new BadImageException(name, "the file is empty");
        RegionRequest? chosen = null;
        RegionRequest Choose(int width, int height) => chosen ??= choose(width, height);
        int EighthsForRegion(int width, int height)
        {
            RegionRequest region = Choose(width, height);
            return EighthsFor(Math.Min(region.Width, region.Height), region.MinimumShorterSide);
        }

        int fullWidth = 0, fullHeight = 0;
        RawImage? fast = !TurboJpeg.Enabled ? null : TurboJpeg.TryDecode(encoded, (width, height) =>
        {
            (fullWidth, fullHeight) = (width, height);
            return EighthsForRegion(width, height);
        });
        if (fast is not null)
            return (fast, new RegionPlacement(0, 0, (double)fast.Width / fullWidth, (double)fast.Height / fullHeight));

        using SKCodec codec = OpenCodec(encoded, name);
        SKImageInfo encodedInfo = codec.Info;
        bool gray = encodedInfo.ColorType == SKColorType.Gray8;
        if (codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
        {
            Choose(encodedInfo.Width, encodedInfo.Height);
            var full = new SKSizeI(encodedInfo.Width, encodedInfo.Height);
            return (gray ? DecodeGray(codec, full, name) : DecodeRgb(codec, full, name), RegionPlacement.Whole);
        }
        int eighths = EighthsForRegion(encodedInfo.Width, encodedInfo.Height);
        SKSizeI size = eighths == 8 ? new SKSizeI(encodedInfo.Width, encodedInfo.Height) : codec.GetScaledDimensions(eighths / 8f);
        double scaleX = (double)size.Width / encodedInfo.Width, scaleY = (double)size.Height / encodedInfo.Height;
        RegionRequest request = chosen!.Value;
        // A margin keeps the bilinear neighbours of the region's edge pixels, and one more column on the right
        // because libjpeg's smooth chroma upsampling treats the last decoded column as an image edge.
        int left = Math.Clamp((int)Math.Floor(request.Left * scaleX) - 1, 0, size.Width - 1);
        int top = Math.Clamp((int)Math.Floor(request.Top * scaleY) - 1, 0, size.Height - 1);
        int right = Math.Clamp((int)Math.Ceiling((request.Left + request.Width) * scaleX) + 2, left + 1, size.Width);
        int bottom = Math.Clamp((int)Math.Ceiling((request.Top + request.Height) * scaleY) + 1, top + 1, size.Height);
        RawImage? part = DecodeRows(codec, size, new SKRectI(left, top, right, bottom), gray, name);
        if (part is not null) return (part, new RegionPlacement(left / scaleX, top / scaleY, scaleX, scaleY));
        // The codec cannot decode this file line by line: decode it whole at the chosen scale.
        return (gray ? DecodeGray(codec, size, name) : DecodeRgb(codec, size, name), new RegionPlacement(0, 0, scaleX, scaleY));
    }

    /// <summary>
    /// Decodes rows [top, bottom) of columns [left, right) of a JPEG at <paramref name="size"/> line by line, then
    /// skips the remaining rows (still entropy-decoded, so a truncated file fails). Null when the codec declines.
    /// </summary>
    private static unsafe RawImage? DecodeRows(SKCodec codec, SKSizeI size, SKRectI part, bool gray, string name)
    {
        var info = gray
            ? new SKImageInfo(size.Width, size.Height, SKColorType.Gray8, SKAlphaType.Opaque)
            : new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // Scanline decoding takes a column range only; rows are chosen by skipping.
        var columns = new SKCodecOptions(new SKRectI(part.Left, 0, part.Right, size.Height));
        if (codec.StartScanlineDecode(info, columns) != SKCodecResult.Success) return null;
        int width = part.Width, height = part.Height, bytesPerPixel = gray ? 1 : 4;
        byte[] rows = ArrayPool<byte>.Shared.Rent(width * height * bytesPerPixel);
        try
        {
            bool complete;
            fixed (byte* target = rows)
            {
                complete = (part.Top == 0 || codec.SkipScanlines(part.Top))
                           && codec.GetScanlines((IntPtr)target, height, width * bytesPerPixel) == height
                           && (part.Bottom == size.Height || codec.SkipScanlines(size.Height - part.Bottom));
            }
            if (!complete) throw new BadImageException(name, "the file is truncated (incomplete image data)");
            RawImage image = RawImage.Rent(width, height, gray ? 1 : 3);
            if (gray) rows.AsSpan(0, width * height).CopyTo(image.Pixels);
            else PackRgbaToRgb(rows, image.Pixels, width * height);
            return image;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rows);
        }
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadImageException(path, e.Message, e);
        }
    }

    /// <summary>A codec over a copy of the bytes (it owns the copy), checked to describe a non-empty image.</summary>
    private static SKCodec OpenCodec(byte[] encoded, string name)
    {
        // The codec takes its own reference to the data, so ours can go at once. SKCodec.Create returns null
        // (instead of throwing, as SKBitmap.Decode does) for bytes it cannot identify.
        using var data = SKData.CreateCopy(encoded);
        SKCodec codec = SKCodec.Create(data)
            ?? throw new BadImageException(name, "not a JPEG, PNG, BMP, GIF or WebP image (unknown or damaged header)");
        if (codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            var size = (codec.Info.Width, codec.Info.Height);
            codec.Dispose();
            throw new BadImageException(name, $"invalid size {size.Width}x{size.Height}");
        }
        return codec;
    }

    private static SKSizeI ChooseDecodeSize(SKCodec codec, int minimumShorterSide)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        if (codec.EncodedFormat != SKEncodedImageFormat.Jpeg) return full;
        int eighths = EighthsFor(Math.Min(full.Width, full.Height), minimumShorterSide);
        return eighths == 8 ? full : codec.GetScaledDimensions(eighths / 8f);
    }

    /// <summary>
    /// The smallest of 1/8, 1/4, 1/2 and 1 (k = 1, 2, 4, 8 eighths) such that decoding at that fraction of the size
    /// keeps a length of <paramref name="shorterSide"/> pixels at least <paramref name="minimum"/> long; 8 when no
    /// hint. libjpeg can also scale by other eighths, but libjpeg-turbo's SIMD code covers only these (the others
    /// are slower than a full-size decode), and using the same scales with every decoder keeps results identical.
    /// </summary>
    internal static int EighthsFor(double shorterSide, int minimum)
    {
        if (minimum <= 0) return 8;
        foreach (int eighths in new[] { 1, 2, 4 })
            if (Math.Floor(shorterSide * eighths / 8) >= minimum) return eighths;
        return 8;
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
