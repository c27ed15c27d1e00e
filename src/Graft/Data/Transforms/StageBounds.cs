namespace Graft.Data.Transforms;

/// <summary>
/// The input rectangle of one recorded geometric step, for the composed warp: a transform sees only its input, so
/// an output point whose path passes outside the rectangle of an intermediate image gets the fill, exactly as if
/// every step had been resampled separately (a rotation after a crop fills its corners rather than showing what
/// lay beyond the crop).
/// </summary>
/// <param name="FromOutput">Maps a final output point to this step's input coordinates.</param>
/// <param name="Width">The step's input width.</param>
/// <param name="Height">The step's input height.</param>
/// <param name="ToSource">Maps this step's input coordinates to the source image (for edge and mirror fills).</param>
internal readonly record struct StageBounds(Affine2D FromOutput, double Width, double Height, Affine2D ToSource)
{
    /// <summary>Whether the whole output rectangle stays inside this step's input, so the check can be skipped.</summary>
    public bool Contains(int outputWidth, int outputHeight)
    {
        const double slack = 1e-9;
        foreach (var (x, y) in new[] { (0.0, 0.0), (outputWidth, 0.0), (0.0, outputHeight), (outputWidth, (double)outputHeight) })
        {
            var (u, v) = FromOutput.Apply(x, y);
            if (u < -slack || u > Width + slack || v < -slack || v > Height + slack) return false;
        }
        return true;
    }

    /// <summary>
    /// For an output point outside this step's input: false when it must take the constant fill; otherwise moves the
    /// source position (<paramref name="x"/>, <paramref name="y"/>) to the clamped or mirrored point inside.
    /// </summary>
    public bool Resolve(double px, double py, FillMode fill, ref double x, ref double y)
    {
        var (u, v) = FromOutput.Apply(px, py);
        if (u >= 0 && u <= Width && v >= 0 && v <= Height) return true;
        if (fill == FillMode.Constant) return false;
        if (fill == FillMode.Nearest)
        {
            u = Math.Clamp(u, 0, Width);
            v = Math.Clamp(v, 0, Height);
        }
        else
        {
            u = Mirror(u, Width);
            v = Mirror(v, Height);
        }
        (x, y) = ToSource.Apply(u, v);
        return true;
    }

    internal static double Mirror(double v, double size)
    {
        double period = 2.0 * size;
        double t = v % period;
        if (t < 0) t += period;
        return t > size ? period - t : t;
    }
}
