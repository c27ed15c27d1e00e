using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// MobileNetV3 Small and Large (<see href="https://arxiv.org/abs/1905.02244">Howard et al., 2019</see>) as torchvision
/// builds them: layers <c>features.0 … features.N, avgpool, flatten, classifier</c> (linear, hardswish, dropout,
/// linear).
/// </summary>
public static class MobileNetV3
{
    private const string Paper = "https://arxiv.org/abs/1905.02244";

    // (input, kernel, expanded, output, squeeze-excitation, hardswish, stride): the paper's Table 1.
    private static readonly InvertedResidualV3Config[] LargeSetting =
    [
        new(16, 3, 16, 16, false, false, 1),
        new(16, 3, 64, 24, false, false, 2),
        new(24, 3, 72, 24, false, false, 1),
        new(24, 5, 72, 40, true, false, 2),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 3, 240, 80, false, true, 2),
        new(80, 3, 200, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 480, 112, true, true, 1),
        new(112, 3, 672, 112, true, true, 1),
        new(112, 5, 672, 160, true, true, 2),
        new(160, 5, 960, 160, true, true, 1),
        new(160, 5, 960, 160, true, true, 1),
    ];

    // The paper's Table 2.
    private static readonly InvertedResidualV3Config[] SmallSetting =
    [
        new(16, 3, 16, 16, true, false, 2),
        new(16, 3, 72, 24, false, false, 2),
        new(24, 3, 88, 24, false, false, 1),
        new(24, 5, 96, 40, true, true, 2),
        new(40, 5, 240, 40, true, true, 1),
        new(40, 5, 240, 40, true, true, 1),
        new(40, 5, 120, 48, true, true, 1),
        new(48, 5, 144, 48, true, true, 1),
        new(48, 5, 288, 96, true, true, 2),
        new(96, 5, 576, 96, true, true, 1),
        new(96, 5, 576, 96, true, true, 1),
    ];

    /// <summary>MobileNetV3-Large with torchvision's initialisation.</summary>
    public static Network Large(int numClasses = 1000, int inChannels = 3, double dropout = 0.2) =>
        Build("mobilenet_v3_large", LargeSetting, lastChannel: 1280, numClasses, inChannels, dropout);

    /// <summary>MobileNetV3-Small with torchvision's initialisation.</summary>
    public static Network Small(int numClasses = 1000, int inChannels = 3, double dropout = 0.2) =>
        Build("mobilenet_v3_small", SmallSetting, lastChannel: 1024, numClasses, inChannels, dropout);

    /// <summary>A fresh final linear layer: N(0, 0.01²), bias 0, as torchvision initialises it.</summary>
    public static Linear NewClassifier(long inFeatures, long numClasses) => ConvNetInit.NewLinear(inFeatures, numClasses, ConvNetInit.SmallNormal);

    /// <summary>MobileNetV3's BatchNorm: eps 0.001 and momentum 0.01 (TensorFlow's defaults).</summary>
    internal static nn.Module<Tensor, Tensor> BatchNorm(long channels) => nn.BatchNorm2d(channels, eps: 0.001, momentum: 0.01);

    private static Network Build(string name, InvertedResidualV3Config[] setting, long lastChannel, int numClasses, int inChannels, double dropout)
    {
        var features = new List<nn.Module<Tensor, Tensor>>
        {
            new Conv2dNormActivation(inChannels, setting[0].InputChannels, 3, 2, 1, BatchNorm, () => nn.Hardswish(inplace: true)),
        };
        features.AddRange(setting.Select(config => new InvertedResidualV3(config)));
        long lastConvInput = setting[^1].OutputChannels, lastConvOutput = 6 * lastConvInput;
        features.Add(new Conv2dNormActivation(lastConvInput, lastConvOutput, 1, 1, 1, BatchNorm, () => nn.Hardswish(inplace: true)));

        var network = new Network(name,
        [
            ("features", Sequential.Inline("features", features)),
            ("avgpool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten(1)),
            ("classifier", Sequential.Of("classifier",
                nn.Linear(lastConvOutput, lastChannel), nn.Hardswish(inplace: true), nn.Dropout(dropout, inplace: true), nn.Linear(lastChannel, numClasses))),
        ], inline: false, headName: "classifier");
        ConvNetInit.Apply(network, ConvNetInit.SmallNormal);
        return network;
    }

    internal static IEnumerable<ModelSpec> Specs()
    {
        const string downloads = "https://download.pytorch.org/models/";
        const string recipe = TorchvisionWeights.ReferencesRecipe + "#mobilenetv3-large--small";
        yield return new ModelSpec("mobilenet_v3_large", (n, c) => Large(n, c), InputSize: 224, InputChannels: 3, NumClasses: 1000, HeadName: "classifier",
            Weights:
            [
                TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "mobilenet_v3_large-8738ca79.pth", "8738ca79", 5_483_032, 74.042, 91.340,
                    Preprocessing.ImageNet(cropSize: 224), recipe),
                TorchvisionWeights.ImageNet("IMAGENET1K_V2", downloads + "mobilenet_v3_large-5c1a4163.pth", "5c1a4163", 5_483_032, 75.274, 92.566,
                    Preprocessing.ImageNet(cropSize: 224, resizeSize: 232), "https://github.com/pytorch/vision/issues/3995#new-recipe-with-reg-tuning"),
            ],
            DefaultWeightsName: "IMAGENET1K_V2", Paper, NewClassifier);
        yield return new ModelSpec("mobilenet_v3_small", (n, c) => Small(n, c), InputSize: 224, InputChannels: 3, NumClasses: 1000, HeadName: "classifier",
            Weights:
            [
                TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "mobilenet_v3_small-047dcff4.pth", "047dcff4", 2_542_856, 67.668, 87.402,
                    Preprocessing.ImageNet(cropSize: 224), recipe),
            ],
            DefaultWeightsName: "IMAGENET1K_V1", Paper, NewClassifier);
    }
}
