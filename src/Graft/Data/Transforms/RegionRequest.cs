namespace Graft.Data.Transforms;

/// <summary>A rectangle of the original image and how many pixels its shorter side needs once decoded.</summary>
/// <param name="Left">Left edge, in original pixels.</param>
/// <param name="Top">Top edge.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="MinimumShorterSide">The decoded region may be shrunk while its shorter side stays at least this.</param>
public readonly record struct RegionRequest(int Left, int Top, int Width, int Height, int MinimumShorterSide);
