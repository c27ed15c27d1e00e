using Graft.IO;
using Graft.Layers;
using Graft.Models;

namespace Graft.Cli;

/// <summary>
/// What <c>--model NAME</c> and <c>--weights NAME|PATH|none</c> ask for: a zoo architecture, and published weights,
/// a local or downloadable weight file, or none; with the preprocessing those weights (or the architecture) need.
/// </summary>
internal sealed class ModelChoice
{
    private ModelChoice(ModelSpec spec, WeightsSpec? published, string? weightFile, Preprocessing preprocessing)
    {
        Spec = spec;
        Published = published;
        WeightFile = weightFile;
        Preprocessing = preprocessing;
    }

    /// <summary>The architecture.</summary>
    public ModelSpec Spec { get; }

    /// <summary>Published weights, when chosen.</summary>
    public WeightsSpec? Published { get; }

    /// <summary>A local weight file, when chosen.</summary>
    public string? WeightFile { get; }

    /// <summary>How to prepare images (the weights', else the architecture's; at <c>--image-size</c> when given).</summary>
    public Preprocessing Preprocessing { get; }

    /// <summary>True when the base starts from trained weights.</summary>
    public bool Pretrained => Published is not null || WeightFile is not null;

    /// <summary>Says which weights, for notes and reports.</summary>
    public string WeightsDescription =>
        Published is not null ? Spec.FullName(Published) : WeightFile is not null ? WeightFile : "none (random initialisation)";

    /// <summary>Resolves the user's choice, showing the download of a weight URL if there is one.</summary>
    /// <exception cref="UsageException">When the name, tag or file does not exist.</exception>
    public static ModelChoice Resolve(ConsoleUi ui, string model, string? weights, int? imageSize = null) =>
        DownloadDisplay.Run(ui, weights ?? model, DownloadDisplay.IsUrl(weights), p => Resolve(model, weights, imageSize, progress: p));

    /// <summary>A fresh model with <paramref name="outputs"/> outputs, showing the download of published weights when
    /// they are not cached yet.</summary>
    public Network Create(ConsoleUi ui, int outputs) =>
        DownloadDisplay.Run(ui, WeightsDescription, DownloadDisplay.Needed(Published?.File), p => Create(outputs, progress: p));

    /// <summary>Resolves the user's choice; unknown names and missing files are usage errors.</summary>
    /// <param name="model">A zoo name, optionally with a weight tag (<c>resnet18.imagenet1k_v1</c>).</param>
    /// <param name="weights">A published tag, <c>default</c>, a file path, an http(s) URL, <c>none</c>; null for the
    /// tag in the name, else the architecture's default weights, else none.</param>
    /// <param name="imageSize">Crop size to train at instead of the preprocessing's.</param>
    /// <param name="download">Download settings for URLs.</param>
    /// <param name="progress">Download progress for URLs.</param>
    /// <exception cref="UsageException">When the name, tag or file does not exist.</exception>
    public static ModelChoice Resolve(string model, string? weights, int? imageSize = null, DownloadOptions? download = null,
        DownloadProgress? progress = null)
    {
        ModelSpec spec;
        WeightsSpec? tagged;
        try
        {
            (spec, tagged) = Zoo.Resolve(model);
        }
        catch (KeyNotFoundException e)
        {
            throw new UsageException(e.Message);
        }
        if (tagged is not null && weights is not null && !string.Equals(weights, tagged.Name, StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"'{model}' already names weights {tagged.Name}; drop --weights {weights} or give the bare architecture '{spec.Name}'.");

        WeightsSpec? published = null;
        string? file = null;
        if (weights is null) published = tagged ?? spec.Default;
        else if (string.Equals(weights, "none", StringComparison.OrdinalIgnoreCase)) { }
        else if (LooksLikeFile(weights)) file = LocateFile(weights, download, progress);
        else
        {
            try
            {
                published = spec.GetWeights(weights);
            }
            catch (KeyNotFoundException e)
            {
                throw new UsageException(e.Message + " Or give a weight file path, or 'none'.");
            }
        }
        var preprocessing = published?.Preprocessing ?? spec.Preprocessing;
        if (imageSize is int size) preprocessing = preprocessing.WithCropSize(size);
        return new ModelChoice(spec, published, file, preprocessing);
    }

    /// <summary>
    /// A fresh model with <paramref name="outputs"/> outputs: published weights (downloaded to the cache when needed)
    /// or the weight file with a new head, or random weights.
    /// </summary>
    public Network Create(int outputs, DownloadOptions? download = null, DownloadProgress? progress = null) =>
        Published is not null ? Spec.CreatePretrained(Published, outputs, download, progress)
        : WeightFile is not null ? Spec.CreateForTransfer(WeightFile, outputs)
        : Spec.Create(outputs);

    private static bool LooksLikeFile(string reference) =>
        File.Exists(GraftHome.ExpandHome(reference)) || reference.IndexOfAny(['/', '\\', '.', '~']) >= 0;

    private static string LocateFile(string reference, DownloadOptions? download, DownloadProgress? progress)
    {
        bool url = reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        string path = GraftHome.ExpandHome(reference);
        if (!url && !File.Exists(path))
            throw new UsageException($"Weight file '{reference}' does not exist (looked for '{Path.GetFullPath(path)}'). Give an existing .pth or .safetensors file, a published tag, or 'none'.");
        return FileLocator.Locate(reference, options: download, progress: progress);
    }
}
