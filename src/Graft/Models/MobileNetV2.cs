using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// MobileNetV2 (<see href="https://arxiv.org/abs/1801.04381">Sandler et al., 2018</see>) as torchvision builds it:
/// layers <c>features.0 … features.18, avgpool, flatten, classifier</c> (dropout, linear).
/// </summary>
public static class MobileNetV2
{
    private const string Paper = "https://arxiv.org/abs/1801.04381";

    // Expansion t, output channels c, repeats n, first stride s (the paper's Table 2).
    private static readonly (int T, int C, int N, int S)[] Setting =
        [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

    /// <summary>Builds MobileNetV2 (width 1.0) with torchvision's initialisation.</summary>
    /// <param name="numClasses">Classifier outputs.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="dropout">Dropout before the classifier.</param>
    public static Network Create(int numClasses = 1000, int inChannels = 3, double dropout = 0.2)
    {
        long input = Channels.MakeDivisible(32), last = Channels.MakeDivisible(1280);
        var features = new List<nn.Module<Tensor, Tensor>>
        {
            new Conv2dNormActivation(inChannels, input, 3, 2, 1, c => nn.BatchNorm2d(c), () => nn.ReLU6(inplace: true)),
        };
        foreach (var (t, c, n, s) in Setting)
        {
            long output = Channels.MakeDivisible(c);
            for (int i = 0; i < n; i++)
            {
                features.Add(new InvertedResidualV2(input, output, i == 0 ? s : 1, t));
                input = output;
            }
        }
        features.Add(new Conv2dNormActivation(input, last, 1, 1, 1, c => nn.BatchNorm2d(c), () => nn.ReLU6(inplace: true)));

        var network = new Network("mobilenet_v2",
        [
            ("features", Sequential.Inline("features", features)),
            ("avgpool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten(1)),
            ("classifier", Sequential.Of("classifier", nn.Dropout(dropout), nn.Linear(last, numClasses))),
        ], inline: false, headName: "classifier");
        // Like torchvision: construct everything (drawing PyTorch's default initialisation), then re-initialise.
        ConvNetInit.Apply(network, ConvNetInit.SmallNormal);
        return network;
    }

    /// <summary>A fresh final linear layer as torchvision initialises MobileNet classifiers: N(0, 0.01²), bias 0.</summary>
    public static Linear NewClassifier(long inFeatures, long numClasses) => ConvNetInit.NewLinear(inFeatures, numClasses, ConvNetInit.SmallNormal);

    internal static IEnumerable<ModelSpec> Specs()
    {
        const string downloads = "https://download.pytorch.org/models/";
        yield return new ModelSpec("mobilenet_v2", (n, c) => Create(n, c), InputSize: 224, InputChannels: 3, NumClasses: 1000, HeadName: "classifier",
            Weights:
            [
                TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "mobilenet_v2-b0353104.pth", "b0353104", 3_504_872, 71.878, 90.286,
                    Preprocessing.ImageNet(cropSize: 224), TorchvisionWeights.ReferencesRecipe + "#mobilenetv2"),
                TorchvisionWeights.ImageNet("IMAGENET1K_V2", downloads + "mobilenet_v2-7ebf99e0.pth", "7ebf99e0", 3_504_872, 72.154, 90.822,
                    Preprocessing.ImageNet(cropSize: 224, resizeSize: 232), "https://github.com/pytorch/vision/issues/3995#new-recipe-with-reg-tuning"),
            ],
            DefaultWeightsName: "IMAGENET1K_V2", Paper, NewClassifier);
    }
}
