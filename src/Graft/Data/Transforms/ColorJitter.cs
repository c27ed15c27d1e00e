namespace Graft.Data.Transforms;

/// <summary>
/// Random brightness, contrast and saturation (torchvision's <c>ColorJitter</c> without hue), applied in that order
/// with factors drawn uniformly from [max(0, 1 − x), 1 + x]: brightness scales the values, contrast blends with the
/// image's mean gray level, saturation blends each pixel with its own gray (ITU-R 601 luma); results are clamped
/// to 0..255 after each step. Training only.
/// </summary>
public sealed class ColorJitter : IImageTransform
{
    /// <summary>Creates the jitter (0 turns a component off).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a strength is negative.</exception>
    public ColorJitter(double brightness = 0, double contrast = 0, double saturation = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(brightness);
        ArgumentOutOfRangeException.ThrowIfNegative(contrast);
        ArgumentOutOfRangeException.ThrowIfNegative(saturation);
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
    }

    /// <summary>Brightness strength.</summary>
    public double Brightness { get; }

    /// <summary>Contrast strength.</summary>
    public double Contrast { get; }

    /// <summary>Saturation strength (no effect on grayscale images).</summary>
    public double Saturation { get; }

    /// <inheritdoc/>
    public bool IsRandom => true;

    /// <inheritdoc/>
    public void Apply(ImageFrame frame, TransformContext context)
    {
        if (!context.Training) return;
        // Draw all factors first so the random sequence does not depend on the image's channel count.
        float brightness = Factor(Brightness, context), contrast = Factor(Contrast, context), saturation = Factor(Saturation, context);
        if (brightness == 1 && contrast == 1 && saturation == 1) return;
        Span<float> pixels = frame.Pixels;
        if (brightness != 1) Blend(pixels, brightness, 0);
        if (contrast != 1) Blend(pixels, contrast, MeanGray(pixels, frame.Channels));
        if (saturation != 1 && frame.Channels == 3) Desaturate(pixels, saturation);
    }

    private static float Factor(double strength, TransformContext context) =>
        strength == 0 ? 1 : (float)context.Uniform(Math.Max(0, 1 - strength), 1 + strength);

    /// <summary>v ← clamp(f·v + (1 − f)·other).</summary>
    private static void Blend(Span<float> pixels, float factor, float other)
    {
        float offset = (1 - factor) * other;
        for (int i = 0; i < pixels.Length; i++) pixels[i] = Math.Clamp(factor * pixels[i] + offset, 0f, 255f);
    }

    private static float MeanGray(ReadOnlySpan<float> pixels, int channels)
    {
        double sum = 0;
        if (channels == 1)
        {
            foreach (float v in pixels) sum += v;
            return (float)(sum / pixels.Length);
        }
        for (int i = 0; i < pixels.Length; i += 3) sum += Luma(pixels[i], pixels[i + 1], pixels[i + 2]);
        return (float)(sum / (pixels.Length / 3));
    }

    private static void Desaturate(Span<float> pixels, float factor)
    {
        for (int i = 0; i < pixels.Length; i += 3)
        {
            float gray = (1 - factor) * Luma(pixels[i], pixels[i + 1], pixels[i + 2]);
            pixels[i] = Math.Clamp(factor * pixels[i] + gray, 0f, 255f);
            pixels[i + 1] = Math.Clamp(factor * pixels[i + 1] + gray, 0f, 255f);
            pixels[i + 2] = Math.Clamp(factor * pixels[i + 2] + gray, 0f, 255f);
        }
    }

    internal static float Luma(float r, float g, float b) => 0.299f * r + 0.587f * g + 0.114f * b;
}
