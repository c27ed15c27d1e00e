using Graft.IO;

namespace Graft.Models;

/// <summary>
/// One published set of weights for an architecture: where the file is, how to check it, what it was trained for, how
/// inputs must be prepared, and how well it does. Pure data: nothing here downloads.
/// </summary>
/// <param name="Name">The publisher's tag for the set, torchvision's enum name (<c>IMAGENET1K_V2</c>).</param>
/// <param name="Url">Canonical download address of the weight file.</param>
/// <param name="Sha256">Lower-case hex digits of the file's SHA-256: all 64, or a prefix when only a prefix is
/// published (torchvision publishes the first 8 in the file name, which is what <c>torch.hub</c> checks).</param>
/// <param name="Categories">Class names in logit order, or null for weights without a usable classifier.</param>
/// <param name="Preprocessing">How images must be prepared for these weights.</param>
/// <param name="Meta">Parameter count, published accuracy, training recipe and licences.</param>
public sealed record WeightsSpec(string Name, string Url, string Sha256, IReadOnlyList<string>? Categories, Preprocessing Preprocessing, WeightsMeta Meta)
{
    /// <summary>The file name, the last segment of <see cref="Url"/> (<c>resnet50-11ad3fa6.pth</c>).</summary>
    public string FileName => Url[(Url.LastIndexOf('/') + 1)..];

    /// <summary>True when <see cref="Sha256"/> holds only the first digits of the hash.</summary>
    public bool Sha256IsPrefix => Sha256.Length < 64;

    /// <summary>Number of classes of the published classifier, or null when it has none.</summary>
    public int? NumClasses => Categories?.Count;

    /// <summary>The file as the downloader takes it (URL, cache name, expected hash or hash prefix).</summary>
    public RemoteFile File => new(Url, FileName, Sha256);
}

/// <summary>Published facts about a <see cref="WeightsSpec"/>.</summary>
/// <param name="Parameters">Learnable scalars of the model these weights fill (torchvision's <c>num_params</c>).</param>
/// <param name="Top1">Published ImageNet-1K top-1 accuracy in percent; null when none is published.</param>
/// <param name="Top5">Published ImageNet-1K top-5 accuracy in percent; null when none is published.</param>
/// <param name="Recipe">Where the training recipe is described.</param>
/// <param name="CodeLicence">Licence of the code the weights come with.</param>
/// <param name="WeightsLicence">Licence of the weights themselves, as the publisher states it.</param>
/// <param name="Notes">Anything a user should know (ported from elsewhere, features only, …).</param>
public sealed record WeightsMeta(long Parameters, double? Top1, double? Top5, string Recipe, string CodeLicence, string WeightsLicence, string? Notes = null);
