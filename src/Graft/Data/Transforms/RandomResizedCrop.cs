namespace Graft.Data.Transforms;

/// <summary>
/// The standard ImageNet training crop (torchvision's <c>RandomResizedCrop</c>): picks a rectangle covering a random
/// fraction of the area (<see cref="MinScale"/>..<see cref="MaxScale"/>) with a random aspect ratio (log-uniform in
/// <see cref="MinRatio"/>..<see cref="MaxRatio"/>), up to 10 tries, else the central crop with the closest ratio; the
/// rectangle is resampled to <see cref="Size"/> × <see cref="Size"/> (bilinear, composed with the other geometric
/// steps). Outside training it resizes the shorter side to <see cref="Size"/> and takes the central square, as
/// Keras' random crop does at inference.
/// </summary>
public sealed class RandomResizedCrop : IRegionTransform
{
    /// <summary>Creates the crop.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the size is less than 1 or a range is empty or not positive.</exception>
    public RandomResizedCrop(int size, double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(minScale > 0) || maxScale < minScale || maxScale > 1)
            throw new ArgumentOutOfRangeException(nameof(minScale), $"Scale range must satisfy 0 < min <= max <= 1; got {minScale}..{maxScale}.");
        if (!(minRatio > 0) || maxRatio < minRatio)
            throw new ArgumentOutOfRangeException(nameof(minRatio), $"Ratio range must satisfy 0 < min <= max; got {minRatio}..{maxRatio}.");
        Size = size;
        MinScale = minScale;
        MaxScale = maxScale;
        MinRatio = minRatio;
        MaxRatio = maxRatio;
    }

    /// <summary>Output side.</summary>
    public int Size { get; }

    /// <summary>Smallest fraction of the area kept.</summary>
    public double MinScale { get; }

    /// <summary>Largest fraction of the area kept.</summary>
    public double MaxScale { get; }

    /// <summary>Smallest width/height ratio.</summary>
    public double MinRatio { get; }

    /// <summary>Largest width/height ratio.</summary>
    public double MaxRatio { get; }

    /// <inheritdoc/>
    public bool IsRandom => true;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        if (!context.Training)
        {
            new Resize(Size).Apply(frame, context);
            new CenterCrop(Size).Apply(frame, context);
            return;
        }
        ApplyToRegion(frame, ChooseRegion(frame.Width, frame.Height, context), RegionPlacement.Whole);
    }

    /// <inheritdoc/>
    public RegionRequest ChooseRegion(int width, int height, TransformContext context)
    {
        var (left, top, boxWidth, boxHeight) = ChooseBox(width, height, context);
        return new RegionRequest(left, top, boxWidth, boxHeight, MinimumShorterSide: Size);
    }

    /// <inheritdoc/>
    public void ApplyToRegion(ImageFrame frame, RegionRequest region, RegionPlacement placement)
    {
        // Output point p shows original point region.origin + p · (region size / Size), found in the frame via placement.
        frame.Warp(new Affine2D(
            (double)region.Width / Size * placement.ScaleX, 0, (region.Left - placement.Left) * placement.ScaleX,
            0, (double)region.Height / Size * placement.ScaleY, (region.Top - placement.Top) * placement.ScaleY), Size, Size);
    }

    /// <summary>The crop rectangle for an image of <paramref name="imageWidth"/> × <paramref name="imageHeight"/>.</summary>
    public (int Left, int Top, int Width, int Height) ChooseBox(int imageWidth, int imageHeight, TransformContext context)
    {
        double area = (double)imageWidth * imageHeight;
        double logMin = Math.Log(MinRatio), logMax = Math.Log(MaxRatio);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * context.Uniform(MinScale, MaxScale);
            double ratio = Math.Exp(context.Uniform(logMin, logMax));
            int width = (int)Math.Round(Math.Sqrt(targetArea * ratio));
            int height = (int)Math.Round(Math.Sqrt(targetArea / ratio));
            if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight)
            {
                int top = context.Random.Next(imageHeight - height + 1);
                int left = context.Random.Next(imageWidth - width + 1);
                return (left, top, width, height);
            }
        }
        double imageRatio = (double)imageWidth / imageHeight;
        int w = imageWidth, h = imageHeight;
        if (imageRatio < MinRatio) h = (int)Math.Round(w / MinRatio);
        else if (imageRatio > MaxRatio) w = (int)Math.Round(h * MaxRatio);
        return ((imageWidth - w) / 2, (imageHeight - h) / 2, w, h);
    }
}
