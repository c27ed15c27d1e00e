using Graft.Data.Transforms;

namespace Graft.Data;

/// <summary>
/// A source that can decode part of a sample (file-backed sources do, for JPEGs). Used by the loader when the
/// pipeline starts with an <see cref="IRegionTransform"/> such as <see cref="RandomResizedCrop"/>.
/// </summary>
public interface IRegionDecodingSource : IImageSource
{
    /// <summary>
    /// Loads sample <paramref name="index"/>, calling <paramref name="choose"/> with its full size to learn which
    /// region is needed; returns an image covering at least that region and where it lies in the original.
    /// </summary>
    /// <exception cref="BadImageException">When the file is unreadable or not a valid image.</exception>
    (RawImage Image, RegionPlacement Placement) LoadRegion(int index, Func<int, int, RegionRequest> choose);
}
