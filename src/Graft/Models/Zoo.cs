using Graft.IO;
using Graft.Layers;
using Graft.Weights;

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
    /// Builds a registered architecture. Without weights it starts from torchvision's initialisation (seed
    /// <c>torch.manual_seed</c> first for reproducible numbers) and <paramref name="numClasses"/> sizes the classifier,
    /// as torchvision's <c>num_classes</c> does. With published weights (<c>weights: "IMAGENET1K_V2"</c>, or a tagged
    /// name <c>resnet50.imagenet1k_v2</c>) they are downloaded to the cache when needed, checked and loaded, and a
    /// different <paramref name="numClasses"/> gets a fresh final classifier layer over the pretrained base.
    /// <paramref name="weights"/> may also be a local weight file or an http(s) URL of one, loaded exactly.
    /// </summary>
    /// <param name="name">Architecture name, optionally with a weight tag (<c>resnet50</c>, <c>resnet50.imagenet1k_v2</c>).</param>
    /// <param name="weights">A published tag (case-insensitive, <c>default</c> allowed), a file path or a URL; null for none.</param>
    /// <param name="numClasses">Classifier outputs.</param>
    /// <param name="inChannels">Input channels (only without published weights, which fix it).</param>
    /// <param name="download">Cache folder, offline mode, retries for downloads.</param>
    /// <param name="progress">Download progress, when a download happens.</param>
    /// <exception cref="KeyNotFoundException">When the name or the weight tag is unknown (the message lists the known ones).</exception>
    /// <exception cref="ArgumentException">When the tag in the name and <paramref name="weights"/> disagree, or
    /// <paramref name="inChannels"/> contradicts published weights.</exception>
    /// <exception cref="FileUnavailableException">When weights are not cached and cannot be downloaded.</exception>
    /// <exception cref="WeightFileException">When the weight file cannot be read.</exception>
    /// <exception cref="StateDictMismatchException">When a weight file does not fit the architecture.</exception>
    public static Network Create(string name, string? weights = null, int? numClasses = null, int? inChannels = null,
        DownloadOptions? download = null, DownloadProgress? progress = null)
    {
        var (spec, tagged) = Resolve(name);
        if (tagged is not null && weights is not null && !string.Equals(tagged.Name, weights, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{name}' names weights {tagged.Name} but weights '{weights}' were asked for; give one of them.", nameof(weights));
        weights ??= tagged?.Name;
        if (weights is null) return spec.Create(numClasses, inChannels);

        var published = spec.Weights.FirstOrDefault(w => string.Equals(w.Name, weights, StringComparison.OrdinalIgnoreCase))
            ?? (string.Equals(weights, "default", StringComparison.OrdinalIgnoreCase) ? spec.Default : null);
        if (published is not null)
        {
            if (inChannels is int channels && channels != spec.InputChannels)
                throw new ArgumentException($"Weights {spec.FullName(published)} expect {spec.InputChannels}-channel images; inChannels {channels} cannot use them.", nameof(inChannels));
            return spec.CreatePretrained(published, numClasses, download, progress);
        }
        if (!LooksLikeFile(weights)) spec.GetWeights(weights); // throws, listing the published tags
        return spec.CreateFromFile(FileLocator.Locate(weights, FindFile, download, progress), numClasses, inChannels);
    }

    /// <summary>
    /// The published file a tagged name stands for (<c>resnet50.imagenet1k_v2</c> → its URL, file name and hash), or
    /// null when <paramref name="name"/> is not such a name. Fits <see cref="FileLocator.Locate"/>'s catalog.
    /// </summary>
    public static RemoteFile? FindFile(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.Contains('.')) return null;
        try
        {
            return Resolve(name).Weights?.File;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    private static bool LooksLikeFile(string reference) =>
        reference.IndexOfAny(['/', '\\', '.', '~']) >= 0;

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
