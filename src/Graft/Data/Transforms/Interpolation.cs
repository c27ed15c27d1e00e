namespace Graft.Data.Transforms;

/// <summary>The resampling filter of <see cref="Resize"/> (with antialiasing when shrinking, as PIL does).</summary>
public enum Interpolation
{
    /// <summary>Triangle filter (torchvision's default).</summary>
    Bilinear,

    /// <summary>Cubic filter with a = −0.5 (PIL's and timm's "bicubic").</summary>
    Bicubic,
}
