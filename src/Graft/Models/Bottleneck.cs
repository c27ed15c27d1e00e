using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// ResNet's bottleneck block as torchvision builds it ("ResNet v1.5": the stride sits on the 3×3 convolution):
/// 1×1 reduce, 3×3, 1×1 expand by <see cref="Expansion"/>, each with BatchNorm, added to the input (or its
/// <c>downsample</c> projection), then ReLU.
/// </summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels per unit of the block's width.</summary>
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly ReLU relu;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="width">Channels of the 3×3 convolution; the output has <c>width × 4</c>.</param>
    /// <param name="stride">Stride of the 3×3 convolution.</param>
    /// <param name="downsample">Projection of the input to the output's shape, when they differ.</param>
    public Bottleneck(long inChannels, long width, long stride, nn.Module<Tensor, Tensor>? downsample)
        : base(nameof(Bottleneck))
    {
        // Field names are torchvision's attribute names: they are the weight keys.
        conv1 = nn.Conv2d(inChannels, width, 1, bias: false);
        bn1 = nn.BatchNorm2d(width);
        conv2 = nn.Conv2d(width, width, 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(width);
        conv3 = nn.Conv2d(width, width * Expansion, 1, bias: false);
        bn3 = nn.BatchNorm2d(width * Expansion);
        relu = nn.ReLU(inplace: true);
        this.downsample = downsample;
        register_module(nameof(conv1), conv1);
        register_module(nameof(bn1), bn1);
        register_module(nameof(conv2), conv2);
        register_module(nameof(bn2), bn2);
        register_module(nameof(conv3), conv3);
        register_module(nameof(bn3), bn3);
        register_module(nameof(relu), relu);
        if (downsample is not null) register_module(nameof(downsample), downsample);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        // Each conv + BatchNorm pair runs folded in inference under no-grad (Layers/BatchNormFolding).
        using var b = BatchNormFolding.ConvThenNorm(conv1, bn1, input);
        using var c = relu.call(b);
        using var e = BatchNormFolding.ConvThenNorm(conv2, bn2, c);
        using var f = relu.call(e);
        var sum = BatchNormFolding.ConvThenNorm(conv3, bn3, f);
        using (var identity = downsample?.call(input))
            Residual.AddInto(sum, identity ?? input);
        return Residual.Finish(sum, relu);
    }

    /// <summary>Children are registered in the constructor, in torchvision's order.</summary>
    protected override void RegisterComponents()
    {
    }
}
