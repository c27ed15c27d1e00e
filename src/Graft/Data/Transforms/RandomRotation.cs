namespace Graft.Data.Transforms;

/// <summary>
/// Rotates by an angle drawn uniformly from [−<see cref="MaxDegrees"/>, +<see cref="MaxDegrees"/>] about the image
/// centre, counter-clockwise for positive angles, keeping the size (torchvision's <c>RandomRotation</c>, bilinear).
/// Training only.
/// </summary>
public sealed class RandomRotation : IImageTransform
{
    /// <summary>Creates the rotation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="maxDegrees"/> is negative or above 180.</exception>
    public RandomRotation(double maxDegrees, FillMode fill = FillMode.Constant, float fillValue = 0)
    {
        if (maxDegrees is < 0 or > 180)
            throw new ArgumentOutOfRangeException(nameof(maxDegrees), maxDegrees, "The angle range is between 0 and 180 degrees.");
        MaxDegrees = maxDegrees;
        Fill = fill;
        FillValue = fillValue;
    }

    /// <summary>Largest rotation, in degrees, either way.</summary>
    public double MaxDegrees { get; }

    /// <summary>How the corners uncovered by the rotation are filled.</summary>
    public FillMode Fill { get; }

    /// <summary>The constant fill value (0..255).</summary>
    public float FillValue { get; }

    /// <inheritdoc/>
    public bool IsRandom => true;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        if (!context.Training) return;
        double degrees = context.Uniform(-MaxDegrees, MaxDegrees);
        Rotate(frame, degrees);
        frame.Fill = Fill;
        frame.FillValue = FillValue;
    }

    /// <summary>Rotates <paramref name="frame"/> by <paramref name="degrees"/> counter-clockwise about its centre.</summary>
    public static void Rotate(ImageFrame frame, double degrees)
    {
        // In y-down image coordinates, showing the content turned counter-clockwise by θ means each output point
        // reads the input at the output point turned by +θ with the standard rotation matrix.
        double radians = degrees * Math.PI / 180;
        frame.Warp(Affine2D.Rotation(radians, frame.Width / 2.0, frame.Height / 2.0), frame.Width, frame.Height);
    }
}
