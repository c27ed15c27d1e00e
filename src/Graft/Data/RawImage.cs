using System.Buffers;

namespace Graft.Data;

/// <summary>
/// An 8-bit image in memory: <see cref="Height"/> rows of <see cref="Width"/> pixels, each pixel
/// <see cref="Channels"/> bytes (1 = grayscale, 3 = RGB), rows packed with no padding (HWC order), at the start of
/// <see cref="Buffer"/>.
/// This is what sources hand to the pipeline and what the decoded-image cache keeps.
/// </summary>
public sealed class RawImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied; the image owns it from now on; it may be longer than needed).</summary>
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
        Buffer = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The array holding the pixels; it may be longer than <see cref="ByteCount"/> (pooled buffers are).</summary>
    public byte[] Buffer { get; }

    /// <summary>The pixel bytes: <see cref="ByteCount"/> of them, row-major, channels interleaved.</summary>
    public Span<byte> Pixels => Buffer.AsSpan(0, ByteCount);

    /// <summary>Number of bytes the image uses (width × height × channels).</summary>
    public int ByteCount => Width * Height * Channels;

    /// <summary>Whether <see cref="Buffer"/> came from <see cref="ArrayPool{T}.Shared"/> and may go back to it.</summary>
    internal bool IsPooled { get; private init; }

    /// <summary>
    /// An image whose buffer is rented (decoded photos are several hundred KB: renting avoids a large-object-heap
    /// allocation per sample). Whoever drops the last reference may call <see cref="ReturnToPool"/>.
    /// </summary>
    internal static RawImage Rent(int width, int height, int channels) =>
        new(width, height, channels, ArrayPool<byte>.Shared.Rent(width * height * channels)) { IsPooled = true };

    /// <summary>Gives a rented buffer back; the image must not be used afterwards. Does nothing for other images.</summary>
    internal void ReturnToPool()
    {
        if (IsPooled) ArrayPool<byte>.Shared.Return(Buffer);
    }
}
