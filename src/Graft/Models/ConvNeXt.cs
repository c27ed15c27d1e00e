using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// ConvNeXt-Tiny (<see href="https://arxiv.org/abs/2201.03545">Liu et al., 2022</see>) as torchvision builds it:
/// layers <c>features.0</c> (4×4 patchify stem with LayerNorm2d), <c>features.1, 3, 5, 7</c> (stages of
/// <see cref="CNBlock"/>), <c>features.2, 4, 6</c> (LayerNorm2d and 2×2 strided downsampling), <c>avgpool</c>,
/// <c>classifier</c> (LayerNorm2d, flatten, linear).
/// </summary>
public static class ConvNeXt
{
    private const string Paper = "https://arxiv.org/abs/2201.03545";

    // Channels, channels after the stage (none for the last) and blocks per stage.
    private static readonly (long Channels, long? Next, int Blocks)[] TinySetting = [(96, 192, 3), (192, 384, 3), (384, 768, 9), (768, null, 3)];

    /// <summary>ConvNeXt-Tiny with torchvision's initialisation.</summary>
    /// <param name="numClasses">Classifier outputs.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="stochasticDepth">Drop probability of the last block (earlier blocks drop less).</param>
    /// <param name="layerScale">Initial layer scale.</param>
    public static Network Tiny(int numClasses = 1000, int inChannels = 3, double stochasticDepth = 0.1, double layerScale = 1e-6)
    {
        var setting = TinySetting;
        var features = new List<nn.Module<Tensor, Tensor>>
        {
            new Conv2dNormActivation(inChannels, setting[0].Channels, 4, 4, 1, c => new LayerNorm2d(c), activation: null, padding: 0, bias: true),
        };
        int total = setting.Sum(s => s.Blocks), index = 0;
        foreach (var (channels, next, count) in setting)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int i = 0; i < count; i++)
                blocks.Add(new CNBlock(channels, layerScale, stochasticDepth * index++ / (total - 1.0)));
            features.Add(Sequential.Of("stage", blocks));
            if (next is long output)
                features.Add(Sequential.Of("downsample", new LayerNorm2d(channels), nn.Conv2d(channels, output, 2, stride: 2)));
        }
        long last = setting[^1].Next ?? setting[^1].Channels;

        var network = new Network("convnext_tiny",
        [
            ("features", Sequential.Inline("features", features)),
            ("avgpool", nn.AdaptiveAvgPool2d(1)),
            ("classifier", Sequential.Of("classifier", new LayerNorm2d(last), nn.Flatten(1), nn.Linear(last, numClasses))),
        ], inline: false, headName: "classifier");
        foreach (var module in TorchvisionInit.PreOrder(network))
        {
            if (module is Conv2d conv) InitWeights(conv.weight, conv.bias);
            else if (module is Linear linear) InitWeights(linear.weight, linear.bias);
        }
        return network;
    }

    /// <summary>A fresh final linear layer as torchvision initialises ConvNeXt's: truncated N(0, 0.02²), bias 0.</summary>
    public static Linear NewClassifier(long inFeatures, long numClasses)
    {
        var linear = nn.Linear(inFeatures, numClasses);
        InitWeights(linear.weight, linear.bias);
        return linear;
    }

    private static void InitWeights(Tensor weight, Tensor? bias)
    {
        TorchvisionInit.TruncatedNormal(weight, 0.0, 0.02);
        TorchvisionInit.Constant(bias, 0.0);
    }

    internal static IEnumerable<ModelSpec> Specs()
    {
        yield return new ModelSpec("convnext_tiny", (n, c) => Tiny(n, c), InputSize: 224, InputChannels: 3, NumClasses: 1000, HeadName: "classifier",
            Weights:
            [
                TorchvisionWeights.ImageNet("IMAGENET1K_V1", "https://download.pytorch.org/models/convnext_tiny-983f1562.pth", "983f1562",
                    28_589_128, 82.520, 96.146, Preprocessing.ImageNet(cropSize: 224, resizeSize: 236), TorchvisionWeights.ReferencesRecipe + "#convnext"),
            ],
            DefaultWeightsName: "IMAGENET1K_V1", Paper, NewClassifier);
    }
}
