namespace Graft.Data.Transforms;

/// <summary>
/// One step of an image pipeline. Implement it for your own transform: change the frame's geometry with
/// <see cref="ImageFrame.Warp"/> (cheap — composed with the other geometric steps) or its values through
/// <see cref="ImageFrame.Pixels"/>. Draw all randomness from <see cref="TransformContext.Random"/>, which is
/// seeded per sample from (seed, epoch, sample index), so results never depend on threads.
/// </summary>
public interface IImageTransform
{
    /// <summary>
    /// Whether the transform draws random numbers. Leading non-random steps run once per image when the loader
    /// caches decoded images, and their result is rounded to bytes (like a PIL image) in every case.
    /// </summary>
    bool IsRandom { get; }

    /// <summary>Applies the transform to <paramref name="frame"/>.</summary>
    void Apply(ImageFrame frame, TransformContext context);
}

/// <summary>What a transform knows about the sample it is applied to.</summary>
/// <param name="Random">This sample's generator (deterministic for a given seed, epoch and sample).</param>
/// <param name="Training">
/// True when loading for training; random augmentations do nothing otherwise (as Keras' preprocessing layers do at
/// inference).
/// </param>
public readonly record struct TransformContext(Random Random, bool Training)
{
    /// <summary>A uniform draw in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * Random.NextDouble();
}

/// <summary>A transform that tells the decoder how small an image it can accept (for reduced-size JPEG decoding).</summary>
public interface IDecodeSizeHint
{
    /// <summary>The smallest shorter side the transform's input may have without losing detail in its output.</summary>
    int MinimumShorterSide { get; }
}
