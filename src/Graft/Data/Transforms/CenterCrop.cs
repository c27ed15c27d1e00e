namespace Graft.Data.Transforms;

/// <summary>
/// Cuts the central <see cref="Width"/> × <see cref="Height"/> rectangle (torchvision's <c>CenterCrop</c>: the
/// offset is rounded half to even; an image smaller than the crop is padded with black).
/// </summary>
public sealed class CenterCrop : IImageTransform
{
    /// <summary>A square crop.</summary>
    public CenterCrop(int size) : this(size, size) { }

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> crop.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is less than 1.</exception>
    public CenterCrop(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
    }

    /// <summary>Crop width.</summary>
    public int Width { get; }

    /// <summary>Crop height.</summary>
    public int Height { get; }

    /// <inheritdoc/>
    public bool IsRandom => false;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        if (Width > frame.Width || Height > frame.Height)
        {
            frame.Fill = FillMode.Constant;
            frame.FillValue = 0;
        }
        frame.Crop(Offset(frame.Width, Width), Offset(frame.Height, Height), Width, Height);
    }

    private static int Offset(int size, int crop) =>
        crop <= size ? (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven) : -((crop - size) / 2);
}
