namespace Graft.Models;

/// <summary>How an image is resampled when resized.</summary>
public enum Interpolation
{
    /// <summary>Bilinear (torchvision's default for classification weights).</summary>
    Bilinear,

    /// <summary>Bicubic (used by weights ported from timm, e.g. EfficientNet-B0).</summary>
    Bicubic,
}
