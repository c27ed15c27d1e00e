using Graft.IO;
using Graft.Layers;
using Graft.Native;
using Graft.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>Builds an architecture with fresh weights.</summary>
/// <param name="numClasses">Outputs of the classifier.</param>
/// <param name="inChannels">Channels of the input images.</param>
public delegate Network ModelBuilder(int numClasses, int inChannels);

/// <summary>Makes the final linear layer of a fresh classifier, initialised as the architecture does it.</summary>
/// <param name="inFeatures">Inputs of the layer (the feature width).</param>
/// <param name="numClasses">Outputs of the layer.</param>
public delegate Linear ClassifierFactory(long inFeatures, long numClasses);

/// <summary>
/// A registered architecture: its name (torchvision's), how to build it, what input it expects, which layer is the
/// head, and the weight sets published for it.
/// </summary>
/// <param name="Name">The registry name, torchvision's builder name (<c>resnet50</c>, <c>mobilenet_v3_small</c>).</param>
/// <param name="Builder">Builds the architecture with fresh (torchvision-initialised) weights.</param>
/// <param name="InputSize">The side of the square images the architecture is usually fed (224 for ImageNet).</param>
/// <param name="InputChannels">Channels of the images it is built for by default.</param>
/// <param name="NumClasses">Classifier outputs when nothing else is asked.</param>
/// <param name="HeadName">The layer that is the task head (<c>fc</c>, <c>classifier</c>).</param>
/// <param name="Weights">The published weight sets, in torchvision's order.</param>
/// <param name="DefaultWeightsName">The set torchvision calls <c>DEFAULT</c>; null when nothing is published.</param>
/// <param name="Paper">The paper the architecture comes from.</param>
/// <param name="NewClassifier">Makes the final linear layer of a fresh head, initialised as the architecture does.</param>
public sealed record ModelSpec(
    string Name,
    ModelBuilder Builder,
    int InputSize,
    int InputChannels,
    int NumClasses,
    string HeadName,
    IReadOnlyList<WeightsSpec> Weights,
    string? DefaultWeightsName,
    string Paper,
    ClassifierFactory NewClassifier)
{
    /// <summary>How to prepare images for an architecture without published weights (e.g. <c>resnet_mini</c>'s 28×28
    /// grayscale); null for architectures whose default weights say it.</summary>
    public Preprocessing? OwnPreprocessing { get; init; }

    /// <summary>
    /// How images are prepared for this architecture unless a weight set says otherwise: the default weights'
    /// preprocessing, else <see cref="OwnPreprocessing"/>, else ImageNet's statistics at <see cref="InputSize"/>.
    /// </summary>
    public Preprocessing Preprocessing => Default?.Preprocessing ?? OwnPreprocessing
        ?? new Preprocessing(InputSize, InputSize, Interpolation.Bilinear,
            InputChannels == 3 ? Preprocessing.ImageNetMean : [0.5f], InputChannels == 3 ? Preprocessing.ImageNetStd : [0.5f]);

    /// <summary>torchvision's <c>DEFAULT</c> weights, or null when none are published.</summary>
    public WeightsSpec? Default => DefaultWeightsName is null ? null : Weights.FirstOrDefault(w => w.Name == DefaultWeightsName);

    /// <summary>The weight set with tag <paramref name="tag"/> (case-insensitive); <c>default</c> names <see cref="Default"/>.</summary>
    /// <exception cref="KeyNotFoundException">When there is no such set; the message lists the tags.</exception>
    public WeightsSpec GetWeights(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (string.Equals(tag, "default", StringComparison.OrdinalIgnoreCase) && Default is { } preferred) return preferred;
        return Weights.FirstOrDefault(w => string.Equals(w.Name, tag, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException(Weights.Count == 0
                ? $"Model '{Name}' has no published weights (asked for '{tag}')."
                : $"Model '{Name}' has no weights '{tag}'. Published: {string.Join(", ", Weights.Select(w => w.Name))} (default: {DefaultWeightsName}).");
    }

    /// <summary>The round-trippable name of a weight set: <c>resnet50.imagenet1k_v2</c>.</summary>
    public string FullName(WeightsSpec weights) => $"{Name}.{weights.Name.ToLowerInvariant()}";

    /// <summary>Builds the architecture with fresh weights.</summary>
    /// <param name="numClasses">Classifier outputs; <see cref="NumClasses"/> by default.</param>
    /// <param name="inChannels">Input channels; <see cref="InputChannels"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a count is less than 1.</exception>
    public Network Create(int? numClasses = null, int? inChannels = null)
    {
        int classes = numClasses ?? NumClasses, channels = inChannels ?? InputChannels;
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1, nameof(numClasses));
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1, nameof(inChannels));
        // Channels-last convolution weights: same values, NHWC kernels (see MemoryFormat for the measured gain).
        return MemoryFormat.ToChannelsLast(Builder(classes, channels));
    }

    /// <summary>
    /// Builds the architecture and fills it with published weights, downloading them into the cache first when
    /// needed (their SHA-256 is checked). With <paramref name="numClasses"/> other than the weights' class count,
    /// the base keeps the published weights and the head's final linear layer is new (see <see cref="ResetHead"/>).
    /// </summary>
    /// <param name="weights">One of <see cref="Weights"/>.</param>
    /// <param name="numClasses">Classifier outputs; the weights' own class count by default.</param>
    /// <param name="download">Cache folder, offline mode, retries.</param>
    /// <param name="progress">Download progress, when a download happens.</param>
    /// <exception cref="ArgumentException">When <paramref name="weights"/> is not one of this architecture's.</exception>
    /// <exception cref="FileUnavailableException">When the file is not cached and cannot be downloaded.</exception>
    /// <exception cref="WeightFileException">When the file cannot be read.</exception>
    public Network CreatePretrained(WeightsSpec weights, int? numClasses = null, DownloadOptions? download = null, DownloadProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!Weights.Any(w => w.Name == weights.Name))
            throw new ArgumentException($"Weights '{weights.Name}' are not published for '{Name}' (published: {string.Join(", ", Weights.Select(w => w.Name))}).", nameof(weights));
        string path = Downloader.Fetch(weights.File, download, progress);
        int published = weights.NumClasses ?? NumClasses;
        var model = CreateFromFile(path, published);
        return numClasses is int classes && classes != published ? ResetHead(model, classes) : model;
    }

    /// <summary>Builds the architecture and loads a local weight file (.pth or .safetensors) whose keys and shapes
    /// must match exactly, e.g. a model fine-tuned earlier with <paramref name="numClasses"/> outputs.</summary>
    /// <param name="path">The weight file.</param>
    /// <param name="numClasses">Classifier outputs the file holds; <see cref="NumClasses"/> by default.</param>
    /// <param name="inChannels">Input channels the file holds; <see cref="InputChannels"/> by default.</param>
    /// <exception cref="WeightFileException">When the file cannot be read.</exception>
    /// <exception cref="StateDictMismatchException">When its keys or shapes differ from the architecture's.</exception>
    public Network CreateFromFile(string path, int? numClasses = null, int? inChannels = null)
    {
        var model = Create(numClasses, inChannels);
        try
        {
            using var state = StateDict.Load(path);
            state.LoadInto(model, strict: true);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Builds the architecture from a local weight file whatever the width of the classifier it holds (read from the
    /// file), then, when <paramref name="numClasses"/> differs from that width, replaces the head's final linear
    /// layer with a fresh one (see <see cref="ResetHead"/>): transfer from a base you trained or downloaded yourself.
    /// Every other key and shape must match exactly.
    /// </summary>
    /// <param name="path">The weight file (.pth or .safetensors).</param>
    /// <param name="numClasses">Outputs of the returned model; the file's classifier width when null.</param>
    /// <param name="inChannels">Input channels the file holds; <see cref="InputChannels"/> by default.</param>
    /// <exception cref="WeightFileException">When the file cannot be read.</exception>
    /// <exception cref="StateDictMismatchException">When its keys or shapes differ from the architecture's (the
    /// message lists them), including a file with no classifier weights under <see cref="HeadName"/>.</exception>
    public Network CreateForTransfer(string path, int? numClasses = null, int? inChannels = null)
    {
        int stored;
        using (var state = StateDict.Load(path)) stored = ClassifierWidth(state) ?? NumClasses;
        var model = CreateFromFile(path, stored, inChannels);
        return numClasses is int classes && classes != stored ? ResetHead(model, classes) : model;
    }

    /// <summary>
    /// The output width of the classifier held in <paramref name="weights"/>: the first dimension of the last
    /// two-dimensional <c>weight</c> under <see cref="HeadName"/> (<c>fc.weight</c>, <c>classifier.3.weight</c>), or
    /// null when there is none.
    /// </summary>
    public int? ClassifierWidth(StateDict weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        string prefix = HeadName + ".";
        var last = weights
            .Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key.EndsWith(".weight", StringComparison.Ordinal) && kv.Value.dim() == 2)
            .Select(kv => (Position: HeadPosition(kv.Key[prefix.Length..]), Width: (int)kv.Value.shape[0]))
            .OrderBy(k => k.Position)
            .LastOrDefault();
        return last == default ? null : last.Width;
    }

    // "weight" → -1 (the head is the linear layer); "3.weight" → 3; nested "1.2.weight" ranks by its first index.
    private static int HeadPosition(string rest)
    {
        int dot = rest.IndexOf('.');
        return dot > 0 && int.TryParse(rest[..dot], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            ? index : -1;
    }

    /// <summary>
    /// A network sharing <paramref name="model"/>'s layers except the final linear layer of its head, which is new,
    /// with <paramref name="numClasses"/> outputs and this architecture's initialisation (torchvision's fine-tuning
    /// recipe: <c>model.fc = Linear(…)</c> for a ResNet, <c>model.classifier[-1] = Linear(…)</c> for the others).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="numClasses"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">When the head holds no linear layer.</exception>
    public Network ResetHead(Network model, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        var head = model.Head;
        nn.Module<Tensor, Tensor> fresh = head.Module switch
        {
            Linear linear => NewClassifier(linear.in_features, numClasses),
            Network group => ReplaceLastLinear(group, numClasses),
            _ => throw new InvalidOperationException($"Head '{head.Name}' of '{model.GetName()}' is a {head.TypeName}, not a linear layer or a group ending in one."),
        };
        return model.WithHead(fresh);
    }

    private Network ReplaceLastLinear(Network group, int numClasses)
    {
        var children = group.Children.ToList();
        int last = children.FindLastIndex(c => c.Module is Linear);
        if (last < 0)
            throw new InvalidOperationException($"Head '{group.GetName()}' holds no linear layer to replace.");
        var linear = (Linear)children[last].Module;
        children[last] = (children[last].Name, NewClassifier(linear.in_features, numClasses));
        return new Network(group.GetName(), children);
    }
}
