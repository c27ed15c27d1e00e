namespace Graft.Data.Transforms;

/// <summary>
/// Resizes with an antialiasing filter, like torchvision's <c>Resize</c> on PIL images: either the shorter side to
/// a length (aspect ratio kept; the longer side is truncated, as torchvision computes it) or to an exact size.
/// </summary>
public sealed class Resize : IImageTransform, IDecodeSizeHint
{
    private readonly int _shorterSide;
    private readonly int _width, _height;

    /// <summary>Resizes so the shorter side becomes <paramref name="shorterSide"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the length is less than 1.</exception>
    public Resize(int shorterSide, Interpolation interpolation = Interpolation.Bilinear)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shorterSide, 1);
        _shorterSide = shorterSide;
        Interpolation = interpolation;
    }

    private Resize(int width, int height, Interpolation interpolation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        _width = width;
        _height = height;
        Interpolation = interpolation;
    }

    /// <summary>Resizes to exactly <paramref name="width"/> × <paramref name="height"/> (aspect ratio not kept).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is less than 1.</exception>
    public static Resize To(int width, int height, Interpolation interpolation = Interpolation.Bilinear) =>
        new(width, height, interpolation);

    /// <summary>The filter.</summary>
    public Interpolation Interpolation { get; }

    /// <inheritdoc/>
    public bool IsRandom => false;

    /// <inheritdoc/>
    public int MinimumShorterSide => _shorterSide > 0 ? _shorterSide : 0;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        var (width, height) = OutputSize(frame.Width, frame.Height);
        frame.Resize(width, height, Interpolation);
    }

    /// <summary>The size an image of <paramref name="width"/> × <paramref name="height"/> is resized to.</summary>
    public (int Width, int Height) OutputSize(int width, int height)
    {
        if (_shorterSide == 0) return (_width, _height);
        // torchvision: the longer side becomes int(size * long / short).
        return width <= height
            ? (_shorterSide, (int)((double)_shorterSide * height / width))
            : ((int)((double)_shorterSide * width / height), _shorterSide);
    }
}
