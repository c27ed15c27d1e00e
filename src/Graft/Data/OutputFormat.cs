using Graft.Data.Transforms;

namespace Graft.Data;

/// <summary>
/// How a processed image becomes the model's input: channel count, value scale and per-channel normalisation
/// ((scaled − mean) / std, with the mean and std a model's weights were trained with). Output is channels-first
/// float32. For <see cref="PixelScale.Unit"/> the arithmetic is exactly torchvision's
/// <c>ToTensor</c> + <c>Normalize</c> in float32, so the values agree bit for bit.
/// </summary>
public sealed record OutputFormat
{
    private readonly int _channels = 3;
    private readonly float[]? _mean;
    private readonly float[]? _std;

    /// <summary>Plain RGB in [0, 1], not normalised.</summary>
    public static OutputFormat Default { get; } = new();

    /// <summary>RGB in [0, 1] normalised with ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).</summary>
    public static OutputFormat ImageNet { get; } = new() { Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] };

    /// <summary>Output channels: 3 (grayscale images are repeated) or 1 (colour images become ITU-R 601 luma).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When not 1 or 3.</exception>
    public int Channels
    {
        get => _channels;
        init => _channels = value is 1 or 3 ? value : throw new ArgumentOutOfRangeException(nameof(Channels), value, "Output has 1 or 3 channels.");
    }

    /// <summary>Value scaling applied before normalisation.</summary>
    public PixelScale Scale { get; init; } = PixelScale.Unit;

    /// <summary>Per-channel mean subtracted after scaling (one value, or one per output channel); null for none.</summary>
    public float[]? Mean { get => _mean; init => _mean = value is null ? null : [.. value]; }

    /// <summary>Per-channel standard deviation divided by after subtracting the mean; null for none.</summary>
    public float[]? Std { get => _std; init => _std = value is null ? null : [.. value]; }

    /// <summary>
    /// Writes <paramref name="frame"/> into <paramref name="destination"/> as channels × height × width floats.
    /// </summary>
    /// <exception cref="ArgumentException">When the mean or std length fits neither 1 nor <see cref="Channels"/>, or a std is 0.</exception>
    public void Write(ImageFrame frame, Span<float> destination)
    {
        int plane = frame.Width * frame.Height;
        if (destination.Length < plane * Channels)
            throw new ArgumentException($"Destination holds {destination.Length} floats; a {Channels}x{frame.Height}x{frame.Width} image needs {plane * Channels}.");
        Span<float> mean = stackalloc float[3], std = stackalloc float[3];
        FillStatistics(mean, std);

        RawImage? bytes = frame.UnchangedInput;
        if (bytes is not null && bytes.Channels == Channels)
        {
            // Unchanged 8-bit input (IDX data, cached evaluation images): one lookup per value.
            Span<float> table = stackalloc float[256 * 3];
            for (int c = 0; c < Channels; c++)
                for (int v = 0; v < 256; v++) table[c * 256 + v] = Normalise(v, mean[c], std[c]);
            ReadOnlySpan<byte> pixels = bytes.Pixels;
            for (int c = 0; c < Channels; c++)
            {
                Span<float> output = destination.Slice(c * plane, plane);
                ReadOnlySpan<float> lookup = table.Slice(c * 256, 256);
                for (int i = 0, p = c; i < plane; i++, p += Channels) output[i] = lookup[pixels[p]];
            }
            return;
        }

        ReadOnlySpan<float> values = frame.Pixels;
        if (frame.Channels == 3 && Channels == 3)
        {
            WriteRgb(values, destination, plane, mean, std);
            return;
        }
        int inputChannels = frame.Channels;
        for (int c = 0; c < Channels; c++)
        {
            Span<float> output = destination.Slice(c * plane, plane);
            float m = mean[c], s = std[c];
            if (inputChannels == Channels)
                for (int i = 0; i < plane; i++) output[i] = Normalise(values[i], m, s);
            else if (inputChannels == 1)
                for (int i = 0; i < plane; i++) output[i] = Normalise(values[i], m, s);
            else
                for (int i = 0, p = 0; i < plane; i++, p += 3)
                    output[i] = Normalise(ColorJitter.Luma(values[p], values[p + 1], values[p + 2]), m, s);
        }
    }

    /// <summary>Interleaved RGB floats to three planes in one pass.</summary>
    private unsafe void WriteRgb(ReadOnlySpan<float> values, Span<float> destination, int plane, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        float m0 = mean[0], m1 = mean[1], m2 = mean[2], s0 = std[0], s1 = std[1], s2 = std[2];
        fixed (float* input = values)
        fixed (float* output = destination)
        {
            float* r = output, g = output + plane, b = output + 2 * plane, p = input;
            for (int i = 0; i < plane; i++, p += 3)
            {
                r[i] = Normalise(p[0], m0, s0);
                g[i] = Normalise(p[1], m1, s1);
                b[i] = Normalise(p[2], m2, s2);
            }
        }
    }

    /// <summary>Applies scale, mean and std to one 0..255 value of channel <paramref name="channel"/>.</summary>
    /// <exception cref="ArgumentException">When the mean or std is malformed.</exception>
    public float Apply(float value, int channel)
    {
        Span<float> mean = stackalloc float[3], std = stackalloc float[3];
        FillStatistics(mean, std);
        return Normalise(value, mean[channel], std[channel]);
    }

    private float Normalise(float value, float mean, float std)
    {
        // Same float32 operations, in the same order, as torchvision (div 255, sub mean, div std) and Keras' Rescaling.
        float scaled = Scale switch
        {
            PixelScale.Unit => value / 255f,
            PixelScale.Symmetric => value * (1f / 127.5f) + -1f,
            _ => value,
        };
        return (scaled - mean) / std;
    }

    private void FillStatistics(Span<float> mean, Span<float> std)
    {
        Expand(Mean, 0f, mean, nameof(Mean));
        Expand(Std, 1f, std, nameof(Std));
        for (int c = 0; c < Channels; c++)
            if (std[c] == 0) throw new ArgumentException($"Std of channel {c} is 0; normalising would divide by zero.", nameof(Std));
    }

    private void Expand(float[]? values, float neutral, Span<float> target, string name)
    {
        if (values is null) { target.Fill(neutral); return; }
        if (values.Length == 1) { target.Fill(values[0]); return; }
        if (values.Length != Channels)
            throw new ArgumentException($"{name} has {values.Length} values; expected 1 or {Channels} (one per output channel).", name);
        values.CopyTo(target);
    }
}
