using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// ResNets (<see href="https://arxiv.org/abs/1512.03385">He et al., 2015</see>) as torchvision builds them, layer
/// names and weight keys included: <c>conv1, bn1, relu, maxpool, layer1 … layer4, avgpool, flatten, fc</c>. Also a
/// small ResNet for 28×28 images (<see cref="Mini"/>).
/// </summary>
public static class ResNet
{
    private const string Paper = "https://arxiv.org/abs/1512.03385";

    /// <summary>ResNet-18: basic blocks, 2-2-2-2.</summary>
    public static Network ResNet18(int numClasses = 1000, int inChannels = 3) => Build("resnet18", bottleneck: false, [2, 2, 2, 2], numClasses, inChannels);

    /// <summary>ResNet-34: basic blocks, 3-4-6-3.</summary>
    public static Network ResNet34(int numClasses = 1000, int inChannels = 3) => Build("resnet34", bottleneck: false, [3, 4, 6, 3], numClasses, inChannels);

    /// <summary>ResNet-50: bottleneck blocks, 3-4-6-3.</summary>
    public static Network ResNet50(int numClasses = 1000, int inChannels = 3) => Build("resnet50", bottleneck: true, [3, 4, 6, 3], numClasses, inChannels);

    /// <summary>ResNet-101: bottleneck blocks, 3-4-23-3.</summary>
    public static Network ResNet101(int numClasses = 1000, int inChannels = 3) => Build("resnet101", bottleneck: true, [3, 4, 23, 3], numClasses, inChannels);

    /// <summary>
    /// A small ResNet for 28×28 images such as Fashion-MNIST: a 3×3 stem of 32 channels with BatchNorm and ReLU (no
    /// max-pool), three stages of one basic block each with 32, 64 and 128 channels (strides 1, 2, 2), global average
    /// pooling and <c>fc</c>. About 0.3 M parameters; one epoch of Fashion-MNIST takes minutes on two cores.
    /// </summary>
    /// <param name="inChannels">Input channels (1 for grayscale).</param>
    /// <param name="numClasses">Classifier outputs.</param>
    public static Network Mini(int inChannels = 1, int numClasses = 10)
    {
        var stem = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv1", nn.Conv2d(inChannels, 32, 3, padding: 1, bias: false)),
            ("bn1", nn.BatchNorm2d(32)),
            ("relu", nn.ReLU(inplace: true)),
        };
        return Assemble("resnet_mini", stem, 32, bottleneck: false, [(32, 1, 1), (64, 1, 2), (128, 1, 2)], numClasses);
    }

    /// <summary>The final linear layer of a fresh ResNet head: PyTorch's default <c>nn.Linear</c> initialisation.</summary>
    public static Linear NewClassifier(long inFeatures, long numClasses) => nn.Linear(inFeatures, numClasses);

    private static Network Build(string name, bool bottleneck, int[] depths, int numClasses, int inChannels)
    {
        var stem = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv1", nn.Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false)),
            ("bn1", nn.BatchNorm2d(64)),
            ("relu", nn.ReLU(inplace: true)),
            ("maxpool", nn.MaxPool2d(3, stride: 2, padding: 1)),
        };
        var stages = new[] { (64, depths[0], 1), (128, depths[1], 2), (256, depths[2], 2), (512, depths[3], 2) };
        return Assemble(name, stem, 64, bottleneck, stages, numClasses);
    }

    // Modules are created in torchvision's order (each stage's downsample before its first block) so that the random
    // draws of construction, and of the initialisation after it, match torchvision's for the same seed.
    private static Network Assemble(string name, List<(string, nn.Module<Tensor, Tensor>)> stem, long channels, bool bottleneck,
        (int Width, int Blocks, int Stride)[] stages, int numClasses)
    {
        int expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>(stem);
        for (int s = 0; s < stages.Length; s++)
        {
            var (width, count, stride) = stages[s];
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int b = 0; b < count; b++)
            {
                long blockStride = b == 0 ? stride : 1;
                nn.Module<Tensor, Tensor>? downsample = null;
                if (b == 0 && (stride != 1 || channels != width * expansion))
                    downsample = Sequential.Of("downsample",
                        nn.Conv2d(channels, width * expansion, 1, stride: stride, bias: false),
                        nn.BatchNorm2d(width * expansion));
                blocks.Add(bottleneck
                    ? new Bottleneck(channels, width, blockStride, downsample)
                    : new BasicBlock(channels, width, blockStride, downsample));
                channels = width * expansion;
            }
            layers.Add(($"layer{s + 1}", Sequential.Of($"layer{s + 1}", blocks)));
        }
        layers.Add(("avgpool", nn.AdaptiveAvgPool2d(1)));
        layers.Add(("flatten", nn.Flatten(1)));
        layers.Add(("fc", NewClassifier(channels, numClasses)));
        var network = new Network(name, layers, inline: false, headName: "fc");
        foreach (var module in TorchvisionInit.PreOrder(network))
        {
            if (module is Conv2d conv) TorchvisionInit.KaimingNormalFanOut(conv.weight);
            else if (module is BatchNorm2d) TorchvisionInit.IdentityNorm(module);
        }
        return network;
    }

    internal static IEnumerable<ModelSpec> Specs()
    {
        var v1 = Preprocessing.ImageNet(cropSize: 224);
        var v2 = Preprocessing.ImageNet(cropSize: 224, resizeSize: 232);
        const string v1Recipe = TorchvisionWeights.ReferencesRecipe + "#resnet";
        const string newRecipe = "https://github.com/pytorch/vision/issues/3995#new-recipe";
        const string downloads = "https://download.pytorch.org/models/";

        yield return Spec("resnet18", (n, c) => ResNet18(n, c), "IMAGENET1K_V1",
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "resnet18-f37072fd.pth", "f37072fd", 11_689_512, 69.758, 89.078, v1, v1Recipe));
        yield return Spec("resnet34", (n, c) => ResNet34(n, c), "IMAGENET1K_V1",
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "resnet34-b627a593.pth", "b627a593", 21_797_672, 73.314, 91.420, v1, v1Recipe));
        yield return Spec("resnet50", (n, c) => ResNet50(n, c), "IMAGENET1K_V2",
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "resnet50-0676ba61.pth", "0676ba61", 25_557_032, 76.130, 92.862, v1, v1Recipe),
            TorchvisionWeights.ImageNet("IMAGENET1K_V2", downloads + "resnet50-11ad3fa6.pth", "11ad3fa6", 25_557_032, 80.858, 95.434, v2,
                "https://github.com/pytorch/vision/issues/3995#issuecomment-1013906621"));
        yield return Spec("resnet101", (n, c) => ResNet101(n, c), "IMAGENET1K_V2",
            TorchvisionWeights.ImageNet("IMAGENET1K_V1", downloads + "resnet101-63fe2227.pth", "63fe2227", 44_549_160, 77.374, 93.546, v1, v1Recipe),
            TorchvisionWeights.ImageNet("IMAGENET1K_V2", downloads + "resnet101-cd907fc2.pth", "cd907fc2", 44_549_160, 81.886, 95.780, v2, newRecipe));
        // No published weights: 28×28 grayscale scaled to [-1, 1] (mean 0.5, std 0.5), whatever the data set.
        yield return new ModelSpec("resnet_mini", (n, c) => Mini(c, n), InputSize: 28, InputChannels: 1, NumClasses: 10, HeadName: "fc",
            Weights: [], DefaultWeightsName: null, Paper, NewClassifier)
        {
            OwnPreprocessing = new Preprocessing(28, 28, Interpolation.Bilinear, [0.5f], [0.5f]),
        };
    }

    private static ModelSpec Spec(string name, ModelBuilder builder, string defaultWeights, params WeightsSpec[] weights) =>
        new(name, builder, InputSize: 224, InputChannels: 3, NumClasses: 1000, HeadName: "fc", weights, defaultWeights, Paper, NewClassifier);
}
