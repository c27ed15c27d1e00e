using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// ResNet's basic residual block (<see href="https://arxiv.org/abs/1512.03385">He et al., 2015</see>): two 3×3
/// convolutions with BatchNorm, the first strided, added to the input (or its <c>downsample</c> projection), then ReLU.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels per unit of the block's width (1: the block's width is its output).</summary>
    public const int Expansion = 1;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="channels">Output channels.</param>
    /// <param name="stride">Stride of the first convolution (2 halves the resolution).</param>
    /// <param name="downsample">Projection of the input to the output's shape, when they differ.</param>
    public BasicBlock(long inChannels, long channels, long stride, nn.Module<Tensor, Tensor>? downsample)
        : base(nameof(BasicBlock))
    {
        // Field names are torchvision's attribute names: they are the weight keys.
        conv1 = nn.Conv2d(inChannels, channels, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(channels);
        relu = nn.ReLU(inplace: true);
        conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(channels);
        this.downsample = downsample;
        register_module(nameof(conv1), conv1);
        register_module(nameof(bn1), bn1);
        register_module(nameof(relu), relu);
        register_module(nameof(conv2), conv2);
        register_module(nameof(bn2), bn2);
        if (downsample is not null) register_module(nameof(downsample), downsample);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        // Each conv + BatchNorm pair runs folded in inference under no-grad (Layers/BatchNormFolding).
        using var b = BatchNormFolding.ConvThenNorm(conv1, bn1, input);
        using var c = relu.call(b);
        var sum = BatchNormFolding.ConvThenNorm(conv2, bn2, c);
        using (var identity = downsample?.call(input))
            Residual.AddInto(sum, identity ?? input);
        return Residual.Finish(sum, relu);
    }

    /// <summary>Children are registered in the constructor, in torchvision's order.</summary>
    protected override void RegisterComponents()
    {
    }
}
