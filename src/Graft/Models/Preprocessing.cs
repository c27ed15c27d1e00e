using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graft.Models;

/// <summary>
/// How images must be prepared for a set of weights, as torchvision's <c>ImageClassification</c> transform does it:
/// resize so the shorter side is <see cref="ResizeSize"/> (with <see cref="Interpolation"/>), center-crop
/// <see cref="CropSize"/>×<see cref="CropSize"/>, scale pixels to [0, 1], then subtract <see cref="Mean"/> and divide
/// by <see cref="Std"/> per channel (one value per input channel, or one for all).
/// </summary>
/// <param name="ResizeSize">Length of the shorter side after resizing.</param>
/// <param name="CropSize">Side of the square center crop.</param>
/// <param name="Interpolation">The resampling filter for the resize.</param>
/// <param name="Mean">Per-channel mean subtracted after scaling to [0, 1] (R, G, B; one value for grayscale).</param>
/// <param name="Std">Per-channel standard deviation divided by (R, G, B; one value for grayscale).</param>
public sealed record Preprocessing(int ResizeSize, int CropSize, Interpolation Interpolation, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>ImageNet's per-channel mean, used by nearly all torchvision weights.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's per-channel standard deviation.</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>torchvision's <c>ImageClassification</c> defaults: ImageNet mean and std, resize 256, bilinear.</summary>
    public static Preprocessing ImageNet(int cropSize, int resizeSize = 256, Interpolation interpolation = Interpolation.Bilinear) =>
        new(resizeSize, cropSize, interpolation, ImageNetMean, ImageNetStd);

    /// <summary>
    /// The same preparation at another crop size, the resize scaled in proportion (torchvision's 256 → 224 becomes
    /// 73 → 64 for a 64-pixel crop), for training a model on smaller images than it was published for.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="cropSize"/> is less than 1.</exception>
    public Preprocessing WithCropSize(int cropSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cropSize, 1);
        if (cropSize == CropSize) return this;
        int resize = Math.Max(cropSize, (int)Math.Round((double)ResizeSize * cropSize / CropSize, MidpointRounding.AwayFromZero));
        return this with { ResizeSize = resize, CropSize = cropSize };
    }

    /// <summary>The preprocessing as JSON (<c>{"resize":256,"crop":224,"interpolation":"bilinear","mean":[…],"std":[…]}</c>),
    /// as saved models record it.</summary>
    public string ToJson() => new JsonObject
    {
        ["resize"] = ResizeSize,
        ["crop"] = CropSize,
        ["interpolation"] = Interpolation.ToString().ToLowerInvariant(),
        ["mean"] = new JsonArray(Mean.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        ["std"] = new JsonArray(Std.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
    }.ToJsonString();

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="FormatException">When the JSON is not a preprocessing description; the message says what is wrong.</exception>
    public static Preprocessing FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("it is null");
            int Size(string name) => root[name]?.GetValue<int>() is int v && v >= 1
                ? v : throw new FormatException($"'{name}' must be a whole number of pixels, at least 1");
            float[] Values(string name)
            {
                var values = root[name]?.AsArray().Select(v => v!.GetValue<float>()).ToArray();
                return values is { Length: > 0 } ? values : throw new FormatException($"'{name}' must be a non-empty list of numbers");
            }
            string interpolation = root["interpolation"]?.GetValue<string>() ?? "bilinear";
            if (!Enum.TryParse(interpolation, ignoreCase: true, out Interpolation filter))
                throw new FormatException($"'interpolation' is '{interpolation}'; expected {string.Join(" or ", Enum.GetNames<Interpolation>().Select(n => n.ToLowerInvariant()))}");
            var mean = Values("mean");
            var std = Values("std");
            if (mean.Length != std.Length)
                throw new FormatException($"'mean' has {mean.Length} values but 'std' has {std.Length}");
            return new Preprocessing(Size("resize"), Size("crop"), filter, mean, std);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"Preprocessing '{json}' is not valid: {e.Message}", e);
        }
        catch (FormatException e) when (!e.Message.StartsWith("Preprocessing", StringComparison.Ordinal))
        {
            throw new FormatException($"Preprocessing '{json}' is not valid: {e.Message}.", e);
        }
    }

    /// <inheritdoc/>
    public bool Equals(Preprocessing? other) =>
        other is not null && ResizeSize == other.ResizeSize && CropSize == other.CropSize && Interpolation == other.Interpolation
        && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ResizeSize, CropSize, Interpolation, Mean.Count > 0 ? Mean[0] : 0f, Std.Count > 0 ? Std[0] : 0f);

    /// <inheritdoc/>
    public override string ToString() =>
        $"resize {ResizeSize} ({Interpolation.ToString().ToLowerInvariant()}), crop {CropSize}, mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}]";
}
