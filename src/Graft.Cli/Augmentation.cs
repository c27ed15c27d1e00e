using System.CommandLine;
using System.Globalization;
using Graft.Data.Transforms;

namespace Graft.Cli;

/// <summary>
/// <c>--augment flip,rotate=0.1,zoom=0.1,…</c>: Keras-style random layers applied to training images after the
/// model's resize and crop. Factors are Keras': rotate 0.1 turns up to ±10% of a full circle, zoom 0.1 scales by
/// 0.9–1.1, translate 0.1 shifts up to 10% of each side; brightness, contrast and saturation jitter by that much.
/// </summary>
internal static class Augmentation
{
    private const string Help =
        "flip, rotate=F (share of a full turn), zoom=F, translate=F, brightness=F, contrast=F, saturation=F";

    /// <summary>The option, parsed into transforms (errors are usage errors).</summary>
    public static Option<IReadOnlyList<IImageTransform>> Option() => new("--augment")
    {
        Description = $"Random augmentation of training images, comma-separated: {Help}. Example: flip,rotate=0.1,zoom=0.1",
        DefaultValueFactory = _ => [],
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result =>
        {
            try
            {
                return Parse(string.Join(',', result.Tokens.Select(t => t.Value)));
            }
            catch (FormatException e)
            {
                result.AddError(e.Message);
                return [];
            }
        },
    };

    /// <summary>Parses a specification.</summary>
    /// <exception cref="FormatException">When a step is unknown or its factor is not a number in range.</exception>
    public static IReadOnlyList<IImageTransform> Parse(string specification)
    {
        var steps = new List<IImageTransform>();
        foreach (string part in specification.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.IndexOf('=');
            string name = (equals < 0 ? part : part[..equals]).ToLowerInvariant();
            double? factor = null;
            if (equals >= 0)
            {
                string text = part[(equals + 1)..];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0 && value < 1))
                    throw new FormatException($"--augment {name}={text}: the factor must be a number between 0 and 1 (exclusive).");
                factor = value;
            }
            double f = factor ?? 0.1;
            steps.Add(name switch
            {
                "flip" when factor is null => new RandomHorizontalFlip(),
                "rotate" => new RandomRotation(f * 360, FillMode.Reflect),
                "zoom" => new RandomZoom(1 - f, 1 + f),
                "translate" => new RandomTranslation(f, f),
                "brightness" => new ColorJitter(brightness: f),
                "contrast" => new ColorJitter(contrast: f),
                "saturation" => new ColorJitter(saturation: f),
                "flip" => throw new FormatException("--augment flip takes no factor."),
                _ => throw new FormatException($"--augment: unknown step '{name}'. Known: {Help}."),
            });
        }
        return steps;
    }
}
