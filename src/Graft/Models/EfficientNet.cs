using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// EfficientNet-B0 (<see href="https://arxiv.org/abs/1905.11946">Tan &amp; Le, 2019</see>) as torchvision builds it:
/// layers <c>features.0 … features.8, avgpool, flatten, classifier</c> (dropout, linear); <c>features.1</c> to
/// <c>features.7</c> are the stages of <see cref="MBConv"/> blocks, whose stochastic depth grows linearly to 0.2.
/// </summary>
public static class EfficientNet
{
    private const string Paper = "https://arxiv.org/abs/1905.11946";

    // Expansion, kernel, stride, input, output, repeats: the paper's Table 1 (B0: width and depth 1.0).
    private static readonly (double Expand, long Kernel, long Stride, long Input, long Output, int Layers)[] B0Setting =
        [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3), (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)];

    /// <summary>EfficientNet-B0 with torchvision's initialisation.</summary>
    /// <param name="numClasses">Classifier outputs.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="dropout">Dropout before the classifier.</param>
    /// <param name="stochasticDepth">Drop probability of the last block (earlier blocks drop less).</param>
    public static Network B0(int numClasses = 1000, int inChannels = 3, double dropout = 0.2, double stochasticDepth = 0.2)
    {
        var setting = B0Setting.Select(s => s with { Input = Channels.MakeDivisible(s.Input), Output = Channels.MakeDivisible(s.Output) }).ToArray();
        var features = new List<nn.Module<Tensor, Tensor>>
        {
            new Conv2dNormActivation(inChannels, setting[0].Input, 3, 2, 1, c => nn.BatchNorm2d(c), () => nn.SiLU(inplace: true)),
        };
        int total = setting.Sum(s => s.Layers), index = 0;
        foreach (var stage in setting)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int i = 0; i < stage.Layers; i++)
            {
                double drop = stochasticDepth * index++ / total;
                blocks.Add(new MBConv(i == 0 ? stage.Input : stage.Output, stage.Output, stage.Expand, stage.Kernel, i == 0 ? stage.Stride : 1, drop));
            }
            features.Add(Sequential.Of("stage", blocks));
        }
        long lastInput = setting[^1].Output, lastOutput = 4 * lastInput;
        features.Add(new Conv2dNormActivation(lastInput, lastOutput, 1, 1, 1, c => nn.BatchNorm2d(c), () => nn.SiLU(inplace: true)));

        var network = new Network("efficientnet_b0",
        [
            ("features", Sequential.Inline("features", features)),
            ("avgpool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten(1)),
            ("classifier", Sequential.Of("classifier", nn.Dropout(dropout, inplace: true), nn.Linear(lastOutput, numClasses))),
        ], inline: false, headName: "classifier");
        ConvNetInit.Apply(network, InitLinear);
        return network;
    }

    /// <summary>A fresh final linear layer as torchvision initialises EfficientNet's: U(±1/√outputs), bias 0.</summary>
    public static Linear NewClassifier(long inFeatures, long numClasses) => ConvNetInit.NewLinear(inFeatures, numClasses, InitLinear);

    private static void InitLinear(Linear linear)
    {
        double range = 1.0 / Math.Sqrt(linear.out_features);
        TorchvisionInit.Uniform(linear.weight, -range, range);
        TorchvisionInit.Constant(linear.bias, 0.0);
    }

    internal static IEnumerable<ModelSpec> Specs()
    {
        yield return new ModelSpec("efficientnet_b0", (n, c) => B0(n, c), InputSize: 224, InputChannels: 3, NumClasses: 1000, HeadName: "classifier",
            Weights:
            [
                TorchvisionWeights.ImageNet("IMAGENET1K_V1", "https://download.pytorch.org/models/efficientnet_b0_rwightman-3dd342df.pth", "3dd342df",
                    5_288_548, 77.692, 93.532, Preprocessing.ImageNet(cropSize: 224, resizeSize: 256, Interpolation.Bicubic),
                    TorchvisionWeights.ReferencesRecipe + "#efficientnet-v1", notes: "Ported from timm (pytorch-image-models) by torchvision."),
            ],
            DefaultWeightsName: "IMAGENET1K_V1", Paper, NewClassifier);
    }
}
