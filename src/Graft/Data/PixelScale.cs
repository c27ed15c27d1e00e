namespace Graft.Data;

/// <summary>How 8-bit pixel values v are scaled before mean/std normalisation (Keras' <c>Rescaling</c>).</summary>
public enum PixelScale
{
    /// <summary>v / 255, in [0, 1] (torchvision's <c>ToTensor</c>).</summary>
    Unit,

    /// <summary>v / 127.5 − 1, in [−1, 1] (Inception, MobileNet and EfficientNet-style preprocessing).</summary>
    Symmetric,

    /// <summary>v unchanged, in [0, 255].</summary>
    Raw,
}
