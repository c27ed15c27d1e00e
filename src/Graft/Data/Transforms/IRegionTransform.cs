namespace Graft.Data.Transforms;

/// <summary>
/// A first transform that uses only part of the image (a crop) and can decide which part from the image's size
/// alone. Sources that can decode part of a file (<see cref="IRegionDecodingSource"/>) then decode just that part,
/// at a reduced scale when the transform will shrink it anyway — far less work for large photos. The result must
/// be the same as <see cref="IImageTransform.Apply"/> on the whole image, and the random draws the same.
/// </summary>
public interface IRegionTransform : IImageTransform
{
    /// <summary>Chooses the region of a <paramref name="width"/> × <paramref name="height"/> image (draws the transform's random numbers).</summary>
    RegionRequest ChooseRegion(int width, int height, TransformContext context);

    /// <summary>Finishes the transform on <paramref name="frame"/>, which shows the original image as <paramref name="placement"/> says.</summary>
    void ApplyToRegion(ImageFrame frame, RegionRequest region, RegionPlacement placement);
}

/// <summary>A rectangle of the original image and how many pixels its shorter side needs once decoded.</summary>
/// <param name="Left">Left edge, in original pixels.</param>
/// <param name="Top">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="MinimumShorterSide">The decoded region may be shrunk while its shorter side stays at least this.</param>
public readonly record struct RegionRequest(int Left, int Top, int Width, int Height, int MinimumShorterSide);

/// <summary>
/// Where a decoded (possibly partial, possibly reduced) image lies in the original: original point (x, y) is at
/// ((x − <see cref="Left"/>) · <see cref="ScaleX"/>, (y − <see cref="Top"/>) · <see cref="ScaleY"/>) in the decoded image.
/// </summary>
public readonly record struct RegionPlacement(double Left, double Top, double ScaleX, double ScaleY)
{
    /// <summary>The whole image at full size.</summary>
    public static RegionPlacement Whole { get; } = new(0, 0, 1, 1);
}
