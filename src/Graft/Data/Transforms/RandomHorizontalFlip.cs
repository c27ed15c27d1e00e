namespace Graft.Data.Transforms;

/// <summary>Mirrors the image left–right with probability <see cref="Probability"/> (training only).</summary>
public sealed class RandomHorizontalFlip : IImageTransform
{
    /// <summary>Creates the flip.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the probability is outside [0, 1].</exception>
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (probability is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability is between 0 and 1.");
        Probability = probability;
    }

    /// <summary>Chance of flipping.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public bool IsRandom => true;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        if (!context.Training || context.Random.NextDouble() >= Probability) return;
        Flip(frame);
    }

    /// <summary>Mirrors <paramref name="frame"/> left–right unconditionally.</summary>
    public static void Flip(ImageFrame frame) =>
        frame.Warp(new Affine2D(-1, 0, frame.Width, 0, 1, 0), frame.Width, frame.Height);
}
