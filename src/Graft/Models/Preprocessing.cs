namespace Graft.Models;

/// <summary>
/// How images must be prepared for a set of weights, as torchvision's <c>ImageClassification</c> transform does it:
/// resize so the shorter side is <see cref="ResizeSize"/> (with <see cref="Interpolation"/>), center-crop
/// <see cref="CropSize"/>×<see cref="CropSize"/>, scale pixels to [0, 1], then subtract <see cref="Mean"/> and divide
/// by <see cref="Std"/> per RGB channel.
/// </summary>
/// <param name="ResizeSize">Length of the shorter side after resizing.</param>
/// <param name="CropSize">Side of the square center crop.</param>
/// <param name="Interpolation">The resampling filter for the resize.</param>
/// <param name="Mean">Per-channel mean subtracted after scaling to [0, 1] (R, G, B).</param>
/// <param name="Std">Per-channel standard deviation divided by (R, G, B).</param>
public sealed record Preprocessing(int ResizeSize, int CropSize, Interpolation Interpolation, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>ImageNet's per-channel mean, used by nearly all torchvision weights.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's per-channel standard deviation.</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>torchvision's <c>ImageClassification</c> defaults: ImageNet mean and std, resize 256, bilinear.</summary>
    public static Preprocessing ImageNet(int cropSize, int resizeSize = 256, Interpolation interpolation = Interpolation.Bilinear) =>
        new(resizeSize, cropSize, interpolation, ImageNetMean, ImageNetStd);

    /// <inheritdoc/>
    public bool Equals(Preprocessing? other) =>
        other is not null && ResizeSize == other.ResizeSize && CropSize == other.CropSize && Interpolation == other.Interpolation
        && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ResizeSize, CropSize, Interpolation, Mean.Count > 0 ? Mean[0] : 0f, Std.Count > 0 ? Std[0] : 0f);

    /// <inheritdoc/>
    public override string ToString() =>
        $"resize {ResizeSize} ({Interpolation.ToString().ToLowerInvariant()}), crop {CropSize}, mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}]";
}
