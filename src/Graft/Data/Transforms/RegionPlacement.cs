namespace Graft.Data.Transforms;

/// <summary>
/// Where a decoded (possibly partial, possibly reduced) image lies in the original: original point (x, y) is at
/// ((x − <see cref="Left"/>) · <see cref="ScaleX"/>, (y − <see cref="Top"/>) · <see cref="ScaleY"/>) in the decoded image.
/// </summary>
public readonly record struct RegionPlacement(double Left, double Top, double ScaleX, double ScaleY)
{
    /// <summary>The whole image at full size.</summary>
    public static RegionPlacement Whole { get; } = new(0, 0, 1, 1);
}
