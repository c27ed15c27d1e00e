namespace Graft.Data.Transforms;

/// <summary>What a geometric transform puts where its output looks outside the input image.</summary>
public enum FillMode
{
    /// <summary>A constant value (<see cref="ImageFrame.FillValue"/>, 0 = black by default; torchvision's default).</summary>
    Constant,

    /// <summary>The nearest edge pixel is repeated.</summary>
    Nearest,

    /// <summary>The image is mirrored at its edges (Keras' default for its random layers).</summary>
    Reflect,
}
