using Graft.Data.Transforms;

namespace Graft.Data;

/// <summary>Loads a region from any source: through <see cref="IRegionDecodingSource"/> when supported, else whole.</summary>
public static class RegionLoading
{
    /// <summary>
    /// Loads the region <paramref name="choose"/> asks for; a source without region support loads the whole image
    /// (and <paramref name="choose"/> is still called once with its size).
    /// </summary>
    /// <exception cref="BadImageException">When the sample is unreadable.</exception>
    public static (RawImage Image, RegionPlacement Placement) LoadRegion(this IImageSource source, int index, Func<int, int, RegionRequest> choose)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(choose);
        if (source is IRegionDecodingSource regional) return regional.LoadRegion(index, choose);
        RawImage image = source.Load(index, 0);
        choose(image.Width, image.Height);
        return (image, RegionPlacement.Whole);
    }
}
