using Graft.Layers;

namespace Graft.Models;

/// <summary>
/// The registry of architectures Graft can build, by torchvision's names (<c>resnet50</c>, <c>efficientnet_b0</c>, …),
/// with their published weight sets. Names with a weight tag round-trip: <c>resnet50.imagenet1k_v2</c>.
/// </summary>
public static class Zoo
{
    private static readonly Lazy<IReadOnlyList<ModelSpec>> Registry = new(() =>
    {
        var all = ResNet.Specs()
            .Concat(MobileNetV2.Specs())
            .Concat(MobileNetV3.Specs())
            .Concat(EfficientNet.Specs())
            .Concat(Vgg.Specs())
            .Concat(ConvNeXt.Specs())
            .ToList();
        var duplicate = all.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Model '{duplicate.Key}' is registered twice.");
        return all.AsReadOnly();
    });

    /// <summary>Every registered architecture.</summary>
    public static IReadOnlyList<ModelSpec> All => Registry.Value;

    /// <summary>The registered names.</summary>
    public static IReadOnlyList<string> Names => All.Select(s => s.Name).ToArray();

    /// <summary>
    /// The architecture called <paramref name="name"/> (case-insensitive). A weight tag after a dot
    /// (<c>resnet50.imagenet1k_v2</c>) is accepted and checked.
    /// </summary>
    /// <exception cref="KeyNotFoundException">When no architecture has the name (the message lists the names and
    /// suggests the closest), or the tag names no published weights.</exception>
    public static ModelSpec Find(string name) => Resolve(name).Model;

    /// <summary>Splits <c>arch[.tag]</c> into the architecture and, when tagged, the weight set.</summary>
    /// <exception cref="KeyNotFoundException">When the architecture or the tag is unknown.</exception>
    public static (ModelSpec Model, WeightsSpec? Weights) Resolve(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string trimmed = name.Trim();
        int dot = trimmed.IndexOf('.');
        string arch = dot < 0 ? trimmed : trimmed[..dot];
        var spec = All.FirstOrDefault(s => string.Equals(s.Name, arch, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException(UnknownName(arch));
        return (spec, dot < 0 ? null : spec.GetWeights(trimmed[(dot + 1)..]));
    }

    /// <summary>
    /// Builds a registered architecture with fresh weights (the caller seeds <c>torch.manual_seed</c> for
    /// reproducible initialisation). With <paramref name="numClasses"/> other than the default, the classifier has
    /// that many outputs, as torchvision's <c>num_classes</c> does.
    /// </summary>
    /// <param name="name">Architecture name, e.g. <c>resnet50</c>.</param>
    /// <param name="numClasses">Classifier outputs (the architecture's default when null).</param>
    /// <param name="inChannels">Input channels (the architecture's default when null).</param>
    /// <exception cref="KeyNotFoundException">When the name is unknown.</exception>
    /// <exception cref="ArgumentException">When the name carries a weight tag: loading weights needs <c>Graft.Weights</c>.</exception>
    public static Network Create(string name, int? numClasses = null, int? inChannels = null)
    {
        var (spec, weights) = Resolve(name);
        if (weights is not null)
            throw new ArgumentException($"'{name}' names published weights ({weights.FileName}); Create builds fresh weights only. Use the architecture name '{spec.Name}'.", nameof(name));
        return spec.Create(numClasses, inChannels);
    }

    private static string UnknownName(string name)
    {
        string known = string.Join(", ", Names);
        string? closest = Names.MinBy(n => EditDistance(n, name.ToLowerInvariant()));
        bool near = closest is not null && EditDistance(closest, name.ToLowerInvariant()) <= Math.Max(2, name.Length / 3);
        return near
            ? $"No model named '{name}'. Did you mean '{closest}'? Known models: {known}."
            : $"No model named '{name}'. Known models: {known}.";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
