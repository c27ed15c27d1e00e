namespace Graft.Data.Transforms;

/// <summary>
/// Magnifies (factor &gt; 1) or shrinks (factor &lt; 1) the content about the centre by a factor drawn uniformly from
/// [<see cref="MinFactor"/>, <see cref="MaxFactor"/>], keeping the size; uncovered borders get the fill. Training only.
/// </summary>
public sealed class RandomZoom : IImageTransform
{
    /// <summary>Creates the zoom.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the factors are not positive or out of order.</exception>
    public RandomZoom(double minFactor = 0.8, double maxFactor = 1.2, FillMode fill = FillMode.Reflect)
    {
        if (!(minFactor > 0) || maxFactor < minFactor)
            throw new ArgumentOutOfRangeException(nameof(minFactor), $"Zoom factors must satisfy 0 < min <= max; got {minFactor}..{maxFactor}.");
        MinFactor = minFactor;
        MaxFactor = maxFactor;
        Fill = fill;
    }

    /// <summary>Smallest factor.</summary>
    public double MinFactor { get; }

    /// <summary>Largest factor.</summary>
    public double MaxFactor { get; }

    /// <summary>How uncovered borders are filled when zooming out.</summary>
    public FillMode Fill { get; }

    /// <inheritdoc/>
    public bool IsRandom => true;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        if (!context.Training) return;
        double factor = context.Uniform(MinFactor, MaxFactor);
        double inverse = 1 / factor, cx = frame.Width / 2.0, cy = frame.Height / 2.0;
        frame.Warp(new Affine2D(inverse, 0, cx - inverse * cx, 0, inverse, cy - inverse * cy), frame.Width, frame.Height);
        frame.Fill = Fill;
    }
}
