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
