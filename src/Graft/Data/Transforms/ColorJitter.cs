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
        int channels = frame.Channels;
        // Pass 1: brightness, measuring the mean grey level contrast needs (after brightness, as when done in turn).
        double sum = 0;
        bool needMean = contrast != 1;
        for (int i = 0; i < pixels.Length; i += channels)
        {
            if (channels == 3)
            {
                float r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
                if (brightness != 1)
                {
                    pixels[i] = r = Math.Clamp(brightness * r, 0f, 255f);
                    pixels[i + 1] = g = Math.Clamp(brightness * g, 0f, 255f);
                    pixels[i + 2] = b = Math.Clamp(brightness * b, 0f, 255f);
                }
                if (needMean) sum += Luma(r, g, b);
            }
            else
            {
                float v = pixels[i];
                if (brightness != 1) pixels[i] = v = Math.Clamp(brightness * v, 0f, 255f);
                if (needMean) sum += v;
            }
        }
        float mean = (float)(sum / (pixels.Length / channels));
        float contrastOffset = (1 - contrast) * mean;
        bool saturate = saturation != 1 && channels == 3;
        if (!needMean && !saturate) return;
        // Pass 2: contrast, then saturation, each clamped.
        for (int i = 0; i < pixels.Length; i += channels)
        {
            if (needMean)
                for (int c = 0; c < channels; c++) pixels[i + c] = Math.Clamp(contrast * pixels[i + c] + contrastOffset, 0f, 255f);
            if (saturate)
            {
                float gray = (1 - saturation) * Luma(pixels[i], pixels[i + 1], pixels[i + 2]);
                pixels[i] = Math.Clamp(saturation * pixels[i] + gray, 0f, 255f);
                pixels[i + 1] = Math.Clamp(saturation * pixels[i + 1] + gray, 0f, 255f);
                pixels[i + 2] = Math.Clamp(saturation * pixels[i + 2] + gray, 0f, 255f);
            }
        }
    }

    private static float Factor(double strength, TransformContext context) =>
        strength == 0 ? 1 : (float)context.Uniform(Math.Max(0, 1 - strength), 1 + strength);

    internal static float Luma(float r, float g, float b) => 0.299f * r + 0.587f * g + 0.114f * b;
}
