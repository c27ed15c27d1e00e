namespace Graft.Data.Transforms;

/// <summary>
/// Shifts the content by up to ±<see cref="MaxFractionX"/> of the width and ±<see cref="MaxFractionY"/> of the height
/// (uniform, sub-pixel), keeping the size; uncovered borders get the fill. Training only.
/// </summary>
public sealed class RandomTranslation : IImageTransform
{
    /// <summary>Creates the translation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a fraction is outside [0, 1].</exception>
    public RandomTranslation(double maxFractionX, double maxFractionY, FillMode fill = FillMode.Reflect)
    {
        if (maxFractionX is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(maxFractionX), maxFractionX, "A fraction is between 0 and 1.");
        if (maxFractionY is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(maxFractionY), maxFractionY, "A fraction is between 0 and 1.");
        MaxFractionX = maxFractionX;
        MaxFractionY = maxFractionY;
        Fill = fill;
    }

    /// <summary>Largest horizontal shift as a fraction of the width.</summary>
    public double MaxFractionX { get; }

    /// <summary>Largest vertical shift as a fraction of the height.</summary>
    public double MaxFractionY { get; }

    /// <summary>How uncovered borders are filled.</summary>
    public FillMode Fill { get; }

    /// <inheritdoc/>
    public bool IsRandom => true;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        if (!context.Training) return;
        double dx = context.Uniform(-MaxFractionX, MaxFractionX) * frame.Width;
        double dy = context.Uniform(-MaxFractionY, MaxFractionY) * frame.Height;
        // Content moves by (dx, dy): the output point p shows the input point p − (dx, dy).
        frame.Warp(Affine2D.Translation(-dx, -dy), frame.Width, frame.Height);
        frame.Fill = Fill;
    }
}
