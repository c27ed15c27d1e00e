namespace Graft.Models;

/// <summary>Shared facts about weights published by torchvision 0.14, for the registry entries of each family.</summary>
internal static class TorchvisionWeights
{
    /// <summary>torchvision's own licence (BSD-3-Clause).</summary>
    public const string CodeLicence = "BSD-3-Clause";

    /// <summary>
    /// torchvision states no licence for its pretrained weights: its README says they "may have their own licenses
    /// or terms and conditions derived from the dataset used for training" (ImageNet), and leaves the user to check.
    /// </summary>
    public const string WeightsLicence = "not stated: see torchvision's README, 'Pre-trained Model License' (terms of the ImageNet training data may apply)";

    /// <summary>The training recipes of torchvision's classification references.</summary>
    public const string ReferencesRecipe = "https://github.com/pytorch/vision/tree/main/references/classification";

    /// <summary>An ImageNet-1K classifier's weights.</summary>
    /// <param name="name">The enum name (<c>IMAGENET1K_V1</c>).</param>
    /// <param name="url">The download address.</param>
    /// <param name="sha256Prefix">The 8 hex digits in the file name.</param>
    /// <param name="parameters">The published parameter count.</param>
    /// <param name="top1">Published top-1 accuracy (%).</param>
    /// <param name="top5">Published top-5 accuracy (%).</param>
    /// <param name="preprocessing">The weights' transforms.</param>
    /// <param name="recipe">The recipe link.</param>
    /// <param name="notes">Extra notes.</param>
    public static WeightsSpec ImageNet(string name, string url, string sha256Prefix, long parameters, double top1, double top5,
        Preprocessing preprocessing, string recipe, string? notes = null) =>
        new(name, url, sha256Prefix, ImageNetCategories.All, preprocessing,
            new WeightsMeta(parameters, top1, top5, recipe, CodeLicence, WeightsLicence, notes));
}
