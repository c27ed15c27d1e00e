namespace Graft.Data;

/// <summary>
/// An 8-bit image in memory: <see cref="Height"/> rows of <see cref="Width"/> pixels, each pixel
/// <see cref="Channels"/> bytes (1 = grayscale, 3 = RGB), rows packed with no padding (HWC order).
/// This is what sources hand to the pipeline and what the decoded-image cache keeps.
/// </summary>
public sealed class RawImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied; the image owns it from now on).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is not positive or the channel count is not 1 or 3.</exception>
    /// <exception cref="ArgumentException">When <paramref name="pixels"/> is shorter than width × height × channels.</exception>
    public RawImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grayscale) or 3 (RGB) channels.");
        ArgumentNullException.ThrowIfNull(pixels);
        long needed = (long)width * height * channels;
        if (pixels.Length < needed)
            throw new ArgumentException($"A {width}x{height}x{channels} image needs {needed} bytes; got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Pixel bytes, row-major, channels interleaved.</summary>
    public byte[] Pixels { get; }

    /// <summary>Number of bytes the image uses (width × height × channels).</summary>
    public int ByteCount => Width * Height * Channels;
}
