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
