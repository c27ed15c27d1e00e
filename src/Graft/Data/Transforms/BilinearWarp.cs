namespace Graft.Data.Transforms;

/// <summary>
/// Resamples an image through an affine map with bilinear interpolation, in one pass: every output pixel centre is
/// mapped into the source; inside the source's extent it is interpolated from the four nearest pixels (edges
/// clamped), outside it gets the fill. Sampling at whole-pixel positions returns the pixels exactly.
/// </summary>
internal static unsafe class BilinearWarp
{
    public static void Run<T>(ReadOnlySpan<T> source, int sourceWidth, int sourceHeight, int channels, Affine2D outputToSource,
        Span<float> destination, int width, int height, FillMode fill, float fillValue, StageBounds[]? stages = null) where T : unmanaged
    {
        stages ??= [];
        if (stages.Length == 0 && TryCopy(source, sourceWidth, sourceHeight, channels, outputToSource, destination, width, height)) return;
        if (typeof(T) == typeof(byte) && channels == 3)
        {
            RgbBytes(System.Runtime.InteropServices.MemoryMarshal.Cast<T, byte>(source), sourceWidth, sourceHeight, outputToSource,
                destination, width, height, fill, fillValue, stages);
            return;
        }
        var m = outputToSource;
        int maxX = sourceWidth - 1, maxY = sourceHeight - 1;
        long rowStride = (long)sourceWidth * channels;
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
                    if (!InsideStages(stages, px, py, fill, ref x, ref y))
                    {
                        for (int c = 0; c < channels; c++) output[c] = fillValue;
                        continue;
                    }
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
                    double sx = x - 0.5, sy = y - 0.5;
                    if (sx < 0) sx = 0; else if (sx > maxX) sx = maxX;
                    if (sy < 0) sy = 0; else if (sy > maxY) sy = maxY;
                    int x0 = (int)sx, y0 = (int)sy;
                    float fx = (float)(sx - x0), fy = (float)(sy - y0);
                    int dx = x0 < maxX ? channels : 0;
                    long dy = y0 < maxY ? rowStride : 0;
                    T* p00 = src + (long)y0 * rowStride + x0 * channels;
                    if (channels == 3)
                    {
                        output[0] = Lerp2(p00, dx, dy, fx, fy);
                        output[1] = Lerp2(p00 + 1, dx, dy, fx, fy);
                        output[2] = Lerp2(p00 + 2, dx, dy, fx, fy);
                    }
                    else
                    {
                        for (int c = 0; c < channels; c++) output[c] = Lerp2(p00 + c, dx, dy, fx, fy);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The common case (8-bit RGB source, e.g. a decoded photo) without generic reads: positions step by the map's
    /// column increments, in-range pixels blend their 2×2 neighbourhood, out-of-range ones take the fill.
    /// </summary>
    private static void RgbBytes(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, Affine2D m,
        Span<float> destination, int width, int height, FillMode fill, float fillValue, StageBounds[] stages)
    {
        int maxX = sourceWidth - 1, maxY = sourceHeight - 1, stride = sourceWidth * 3;
        fixed (byte* src = source)
        fixed (float* dst = destination)
        {
            float* output = dst;
            for (int oy = 0; oy < height; oy++)
            {
                double py = oy + 0.5;
                // Continuous source position of the row's first pixel centre, then per-column steps.
                double x = m.A * 0.5 + m.B * py + m.C, y = m.D * 0.5 + m.E * py + m.F;
                // The latest intermediate step's input coordinates, stepped like (x, y): one compare per pixel.
                Affine2D s0 = stages.Length > 0 ? stages[0].FromOutput : Affine2D.Identity;
                double u = s0.A * 0.5 + s0.B * py + s0.C, v = s0.D * 0.5 + s0.E * py + s0.F;
                double uMax = stages.Length > 0 ? stages[0].Width : double.MaxValue, vMax = stages.Length > 0 ? stages[0].Height : double.MaxValue;
                for (int ox = 0; ox < width; ox++, output += 3, x += m.A, y += m.D, u += s0.A, v += s0.D)
                {
                    double cx = x, cy = y;
                    bool inside = u >= 0 && u <= uMax && v >= 0 && v <= vMax;
                    if ((!inside || stages.Length > 1) && !InsideStages(stages, ox + 0.5, py, fill, ref cx, ref cy))
                    {
                        output[0] = output[1] = output[2] = fillValue;
                        continue;
                    }
                    if (!(cx >= 0 && cx <= sourceWidth && cy >= 0 && cy <= sourceHeight))
                    {
                        if (fill == FillMode.Constant)
                        {
                            output[0] = output[1] = output[2] = fillValue;
                            continue;
                        }
                        if (fill == FillMode.Reflect)
                        {
                            cx = Reflect(cx, sourceWidth);
                            cy = Reflect(cy, sourceHeight);
                        }
                    }
                    double sx = cx - 0.5, sy = cy - 0.5;
                    if (sx < 0) sx = 0; else if (sx > maxX) sx = maxX;
                    if (sy < 0) sy = 0; else if (sy > maxY) sy = maxY;
                    int x0 = (int)sx, y0 = (int)sy;
                    float fx = (float)(sx - x0), fy = (float)(sy - y0);
                    byte* p = src + y0 * stride + x0 * 3;
                    int dx = x0 < maxX ? 3 : 0, dy = y0 < maxY ? stride : 0;
                    byte* q = p + dy;
                    float w11 = fx * fy, w10 = fy - w11, w01 = fx - w11, w00 = 1 - fx - w10;
                    if (fx == 0 && fy == 0)
                    {
                        output[0] = p[0];
                        output[1] = p[1];
                        output[2] = p[2];
                        continue;
                    }
                    output[0] = w00 * p[0] + w01 * p[dx] + w10 * q[0] + w11 * q[dx];
                    output[1] = w00 * p[1] + w01 * p[dx + 1] + w10 * q[1] + w11 * q[dx + 1];
                    output[2] = w00 * p[2] + w01 * p[dx + 2] + w10 * q[2] + w11 * q[dx + 2];
                }
            }
        }
    }

    /// <summary>Bilinear blend of the 2×2 neighbourhood at <paramref name="p"/>; exact when both fractions are 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static float Lerp2<T>(T* p, int dx, long dy, float fx, float fy) where T : unmanaged
    {
        float v00 = PixelReader.Read(p), v01 = PixelReader.Read(p + dx);
        float v10 = PixelReader.Read(p + dy), v11 = PixelReader.Read(p + dy + dx);
        float top = v00 + (v01 - v00) * fx;
        float bottom = v10 + (v11 - v10) * fx;
        return top + (bottom - top) * fy;
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
    private static double Reflect(double v, int size) => StageBounds.Mirror(v, size);

    /// <summary>Applies the intermediate steps' bounds (latest first); false when the point takes the constant fill.</summary>
    private static bool InsideStages(StageBounds[] stages, double px, double py, FillMode fill, ref double x, ref double y)
    {
        for (int i = 0; i < stages.Length; i++)
            if (!stages[i].Resolve(px, py, fill, ref x, ref y)) return false;
        return true;
    }
}
