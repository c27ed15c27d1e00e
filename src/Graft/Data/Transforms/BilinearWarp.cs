namespace Graft.Data.Transforms;

/// <summary>
/// Resamples an image through an affine map with bilinear interpolation, in one pass: every output pixel centre is
/// mapped into the source; inside the source's extent it is interpolated from the four nearest pixels (edges
/// clamped), outside it gets the fill. Sampling at whole-pixel positions returns the pixels exactly.
/// </summary>
internal static unsafe class BilinearWarp
{
    public static void Run<T>(ReadOnlySpan<T> source, int sourceWidth, int sourceHeight, int channels, Affine2D outputToSource,
        Span<float> destination, int width, int height, FillMode fill, float fillValue) where T : unmanaged
    {
        if (TryCopy(source, sourceWidth, sourceHeight, channels, outputToSource, destination, width, height)) return;
        var m = outputToSource;
        fixed (T* src = source)
        fixed (float* dst = destination)
        {
            float* output = dst;
            for (int oy = 0; oy < height; oy++)
            {
                double py = oy + 0.5;
                double rowX = m.B * py + m.C, rowY = m.E * py + m.F;
                for (int ox = 0; ox < width; ox++, output += channels)
                {
                    double px = ox + 0.5;
                    double x = m.A * px + rowX, y = m.D * px + rowY;
                    if (x < 0 || x > sourceWidth || y < 0 || y > sourceHeight || double.IsNaN(x) || double.IsNaN(y))
                    {
                        switch (fill)
                        {
                            case FillMode.Constant:
                                for (int c = 0; c < channels; c++) output[c] = fillValue;
                                continue;
                            case FillMode.Reflect:
                                x = Reflect(x, sourceWidth);
                                y = Reflect(y, sourceHeight);
                                break;
                            // Nearest: the clamping below picks the edge pixel.
                        }
                    }
                    double sx = Math.Clamp(x - 0.5, 0, sourceWidth - 1);
                    double sy = Math.Clamp(y - 0.5, 0, sourceHeight - 1);
                    int x0 = (int)sx, y0 = (int)sy;
                    float fx = (float)(sx - x0), fy = (float)(sy - y0);
                    int x1 = x0 + 1 < sourceWidth ? x0 + 1 : x0;
                    int y1 = y0 + 1 < sourceHeight ? y0 + 1 : y0;
                    T* p00 = src + ((long)y0 * sourceWidth + x0) * channels;
                    T* p01 = src + ((long)y0 * sourceWidth + x1) * channels;
                    T* p10 = src + ((long)y1 * sourceWidth + x0) * channels;
                    T* p11 = src + ((long)y1 * sourceWidth + x1) * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        float v00 = PixelReader.Read(p00 + c), v01 = PixelReader.Read(p01 + c);
                        float v10 = PixelReader.Read(p10 + c), v11 = PixelReader.Read(p11 + c);
                        float top = v00 + (v01 - v00) * fx;
                        float bottom = v10 + (v11 - v10) * fx;
                        output[c] = top + (bottom - top) * fy;
                    }
                }
            }
        }
    }

    /// <summary>Whole-pixel translations that stay inside the source (crops) are plain row copies.</summary>
    private static bool TryCopy<T>(ReadOnlySpan<T> source, int sourceWidth, int sourceHeight, int channels, Affine2D m,
        Span<float> destination, int width, int height) where T : unmanaged
    {
        if (!m.IsIntegerTranslation) return false;
        int left = (int)m.C, top = (int)m.F;
        if (left < 0 || top < 0 || left + width > sourceWidth || top + height > sourceHeight) return false;
        int rowLength = width * channels;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<T> row = source.Slice(((top + y) * sourceWidth + left) * channels, rowLength);
            Span<float> target = destination.Slice(y * rowLength, rowLength);
            if (typeof(T) == typeof(float))
            {
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(row).CopyTo(target);
            }
            else
            {
                ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.Cast<T, byte>(row);
                for (int i = 0; i < bytes.Length; i++) target[i] = bytes[i];
            }
        }
        return true;
    }

    /// <summary>Mirrors a continuous coordinate into [0, size].</summary>
    private static double Reflect(double v, int size)
    {
        double period = 2.0 * size;
        double t = v % period;
        if (t < 0) t += period;
        return t > size ? period - t : t;
    }
}
