using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Graft.Data;

/// <summary>
/// Optional fast JPEG decoding through the system's libjpeg-turbo TurboJPEG library (Debian/Ubuntu package
/// <c>libturbojpeg0</c>), whose SIMD code decodes about twice as fast as the portable build inside SkiaSharp's
/// native library. Used only as an accelerator: when the library is absent or declines a file (CMYK, damaged,
/// truncated — any error or warning), <see cref="ImageDecoder"/> decodes with SkiaSharp, which stays the judge
/// of what is a bad file. Both use libjpeg-turbo's default (accurate integer) IDCT and smooth chroma upsampling.
/// </summary>
internal static unsafe class TurboJpeg
{
    private const int PixelFormatRgb = 0, PixelFormatGray = 6, ColorspaceGray = 2, ColorspaceRgb = 0, ColorspaceYCbCr = 1;
    private static readonly delegate* unmanaged<nint> InitDecompress;
    private static readonly delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int> DecompressHeader3;
    private static readonly delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int> Decompress2;
    private static readonly ConcurrentBag<nint> Handles = [];

    static TurboJpeg()
    {
        if (!TryLoad(out nint library)) return;
        if (!NativeLibrary.TryGetExport(library, "tjInitDecompress", out nint init) ||
            !NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out nint header) ||
            !NativeLibrary.TryGetExport(library, "tjDecompress2", out nint decompress))
            return;
        InitDecompress = (delegate* unmanaged<nint>)init;
        DecompressHeader3 = (delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int>)header;
        Decompress2 = (delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int>)decompress;
        IsInstalled = true;
    }

    /// <summary>Whether libturbojpeg was found and loaded.</summary>
    public static bool IsInstalled { get; }

    /// <summary>
    /// Whether <see cref="ImageDecoder"/> uses it: yes unless the environment variable <c>GRAFT_JPEG_DECODER</c> is
    /// <c>skia</c> (tests also switch it off to exercise the SkiaSharp path).
    /// </summary>
    public static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("GRAFT_JPEG_DECODER"), "skia", StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes a baseline/progressive RGB or grayscale JPEG, or returns null to let SkiaSharp handle it.</summary>
    /// <param name="jpeg">The file's bytes.</param>
    /// <param name="minimumShorterSide">Decode at the smallest k/8 scale keeping the shorter side at least this (0 = full size).</param>
    public static RawImage? TryDecode(byte[] jpeg, int minimumShorterSide) =>
        TryDecode(jpeg, (width, height) => ImageDecoder.EighthsFor(Math.Min(width, height), minimumShorterSide));

    /// <summary>Like <see cref="TryDecode(byte[], int)"/>, with the scale (in eighths) chosen from the full size.</summary>
    public static RawImage? TryDecode(byte[] jpeg, Func<int, int, int> eighthsFor)
    {
        if (!IsInstalled || jpeg.Length < 3 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[2] != 0xFF) return null;
        if (!Handles.TryTake(out nint handle))
        {
            handle = InitDecompress();
            if (handle == 0) return null;
        }
        try
        {
            fixed (byte* source = jpeg)
            {
                int width, height, subsampling, colorspace;
                if (DecompressHeader3(handle, source, new CULong((nuint)jpeg.Length), &width, &height, &subsampling, &colorspace) != 0) return null;
                if (colorspace is not (ColorspaceGray or ColorspaceRgb or ColorspaceYCbCr) || width <= 0 || height <= 0) return null;
                int eighths = eighthsFor(width, height);
                (width, height) = ((width * eighths + 7) / 8, (height * eighths + 7) / 8); // libjpeg rounds scaled sizes up
                int channels = colorspace == ColorspaceGray ? 1 : 3;
                RawImage image = RawImage.Rent(width, height, channels);
                int result;
                fixed (byte* target = image.Pixels)
                {
                    int format = channels == 1 ? PixelFormatGray : PixelFormatRgb;
                    result = Decompress2(handle, source, new CULong((nuint)jpeg.Length), target, width, width * channels, height, format, 0);
                }
                if (result == 0) return image;
                // An error or a warning (e.g. premature end of data): leave the verdict to SkiaSharp.
                image.ReturnToPool();
                return null;
            }
        }
        finally
        {
            Handles.Add(handle);
        }
    }

    private static bool TryLoad(out nint library)
    {
        foreach (string name in new[] { "libturbojpeg.so.0", "libturbojpeg.so", "turbojpeg", "libturbojpeg.0.dylib", "libturbojpeg.dylib" })
            if (NativeLibrary.TryLoad(name, out library)) return true;
        library = 0;
        return false;
    }
}
