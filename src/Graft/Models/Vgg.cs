using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// VGG-16 and VGG-19, with and without BatchNorm (<see href="https://arxiv.org/abs/1409.1556">Simonyan &amp; Zisserman,
/// 2014</see>), as torchvision builds them: layers <c>features.0 … features.N</c> (each convolution, BatchNorm, ReLU and
/// max-pool its own layer), <c>avgpool</c> (adaptive, to 7×7, so any input of 32 px or more works), <c>flatten</c>,
/// <c>classifier</c> (linear, ReLU, dropout, linear, ReLU, dropout, linear).
/// </summary>
public static class Vgg
{
    private const string Paper = "https://arxiv.org/abs/1409.1556";
    private const int Pool = 0;

    // Output channels of each 3×3 convolution; Pool marks a 2×2 max-pool. Configurations D and E of the paper.
    private static readonly int[] Vgg16Layers = [64, 64, Pool, 128, 128, Pool, 256, 256, 256, Pool, 512, 512, 512, Pool, 512, 512, 512, Pool];
    private static readonly int[] Vgg19Layers = [64, 64, Pool, 128, 128, Pool, 256, 256, 256, 256, Pool, 512, 512, 512, 512, Pool, 512, 512, 512, 512, Pool];

    /// <summary>VGG-16 (configuration D).</summary>
    public static Network Vgg16(int numClasses = 1000, int inChannels = 3) => Build("vgg16", Vgg16Layers, batchNorm: false, numClasses, inChannels);

    /// <summary>VGG-16 with BatchNorm after each convolution.</summary>
    public static Network Vgg16BatchNorm(int numClasses = 1000, int inChannels = 3) => Build("vgg16_bn", Vgg16Layers, batchNorm: true, numClasses, inChannels);

    /// <summary>VGG-19 (configuration E).</summary>
    public static Network Vgg19(int numClasses = 1000, int inChannels = 3) => Build("vgg19", Vgg19Layers, batchNorm: false, numClasses, inChannels);

    /// <summary>VGG-19 with BatchNorm after each convolution.</summary>
    public static Network Vgg19BatchNorm(int numClasses = 1000, int inChannels = 3) => Build("vgg19_bn", Vgg19Layers, batchNorm: true, numClasses, inChannels);

    /// <summary>A fresh final linear layer: N(0, 0.01²), bias 0, as torchvision initialises VGG's.</summary>
    public static Linear NewClassifier(long inFeatures, long numClasses) => ConvNetInit.NewLinear(inFeatures, numClasses, ConvNetInit.SmallNormal);

    private static Network Build(string name, int[] configuration, bool batchNorm, int numClasses, int inChannels, double dropout = 0.5)
    {
        var features = new List<nn.Module<Tensor, Tensor>>();
        long channels = inChannels;
        foreach (int width in configuration)
        {
            if (width == Pool)
            {
                features.Add(nn.MaxPool2d(2, stride: 2));
                continue;
            }
            features.Add(nn.Conv2d(channels, width, 3, padding: 1));
            if (batchNorm) features.Add(nn.BatchNorm2d(width));
            features.Add(nn.ReLU(inplace: true));
            channels = width;
        }
        var network = new Network(name,
        [
            ("features", Sequential.Inline("features", features)),
            ("avgpool", nn.AdaptiveAvgPool2d([7, 7])),
            ("flatten", nn.Flatten(1)),
            ("classifier", Sequential.Of("classifier",
                nn.Linear(512 * 7 * 7, 4096), nn.ReLU(inplace: true), nn.Dropout(dropout),
                nn.Linear(4096, 4096), nn.ReLU(inplace: true), nn.Dropout(dropout),
                nn.Linear(4096, numClasses))),
        ], inline: false, headName: "classifier");
        ConvNetInit.Apply(network, ConvNetInit.SmallNormal);
        return network;
    }

    internal static IEnumerable<ModelSpec> Specs()
    {
        const string downloads = "https://download.pytorch.org/models/";
        const string recipe = TorchvisionWeights.ReferencesRecipe + "#alexnet-and-vgg";
        var preprocessing = Preprocessing.ImageNet(cropSize: 224);

        ModelSpec Spec(string name, ModelBuilder builder, params WeightsSpec[] weights) =>
            new(name, builder, InputSize: 224, InputChannels: 3, NumClasses: 1000, HeadName: "classifier", weights, "IMAGENET1K_V1", Paper, NewClassifier);

        yield return Spec("vgg16", (n, c) => Vgg16(n, c),
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "vgg16-397923af.pth", "397923af", 138_357_544, 71.592, 90.382, preprocessing, recipe),
            new WeightsSpec("IMAGENET1K_FEATURES", downloads + "vgg16_features-amdegroot-88682ab5.pth", "88682ab5", Categories: null,
                new Preprocessing(256, 224, Interpolation.Bilinear, [0.48235f, 0.45882f, 0.40784f], [1f / 255f, 1f / 255f, 1f / 255f]),
                new WeightsMeta(138_357_544, Top1: null, Top5: null, "https://github.com/amdegroot/ssd.pytorch#training-ssd",
                    TorchvisionWeights.CodeLicence, TorchvisionWeights.WeightsLicence,
                    "Ported from amdegroot/ssd.pytorch. Only 'features' holds valid values (the classifier does not): for feature " +
                    "extraction, not classification. Inputs keep the 0-255 range (std 1/255), as in the original paper.")));
        yield return Spec("vgg16_bn", (n, c) => Vgg16BatchNorm(n, c),
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "vgg16_bn-6c64b313.pth", "6c64b313", 138_365_992, 73.360, 91.516, preprocessing, recipe));
        yield return Spec("vgg19", (n, c) => Vgg19(n, c),
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "vgg19-dcbb9e9d.pth", "dcbb9e9d", 143_667_240, 72.376, 90.876, preprocessing, recipe));
        yield return Spec("vgg19_bn", (n, c) => Vgg19BatchNorm(n, c),
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "vgg19_bn-c79401a0.pth", "c79401a0", 143_678_248, 74.218, 91.842, preprocessing, recipe));
    }
}
