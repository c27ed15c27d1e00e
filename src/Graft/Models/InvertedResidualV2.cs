using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// MobileNetV2's inverted residual block (<see href="https://arxiv.org/abs/1801.04381">Sandler et al., 2018</see>):
/// 1×1 expansion with ReLU6 (skipped when the expansion ratio is 1), 3×3 depthwise with ReLU6, linear 1×1 projection
/// with BatchNorm, all in torchvision's <c>conv</c> sequence; added to the input when shapes allow.
/// </summary>
public sealed class InvertedResidualV2 : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Stride of the depthwise convolution (1 or 2).</param>
    /// <param name="expandRatio">Width of the hidden layer relative to the input.</param>
    /// <exception cref="ArgumentOutOfRangeException">When the stride is not 1 or 2.</exception>
    public InvertedResidualV2(long inChannels, long outChannels, long stride, int expandRatio)
        : base(nameof(InvertedResidualV2))
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be 1 or 2.");
        long hidden = (long)Math.Round(inChannels * (double)expandRatio, MidpointRounding.ToEven);
        UsesResidual = stride == 1 && inChannels == outChannels;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expandRatio != 1)
            layers.Add(new Conv2dNormActivation(inChannels, hidden, 1, 1, 1, BatchNorm, ReLU6));
        layers.Add(new Conv2dNormActivation(hidden, hidden, 3, stride, hidden, BatchNorm, ReLU6));
        layers.Add(nn.Conv2d(hidden, outChannels, 1, bias: false));
        layers.Add(nn.BatchNorm2d(outChannels));
        // "conv" is torchvision's attribute name: keys read features.3.conv.0.0.weight.
        conv = Sequential.Of(nameof(conv), layers);
        register_module(nameof(conv), conv);
    }

    /// <summary>True when the block adds its input to its output (stride 1, same channels).</summary>
    public bool UsesResidual { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var output = conv.call(input);
        if (!UsesResidual) return output;
        using (output) return output.add(input, alpha: Native.Scalars.One);
    }

    /// <summary>Children are registered in the constructor.</summary>
    protected override void RegisterComponents()
    {
    }

    private static nn.Module<Tensor, Tensor> BatchNorm(long channels) => nn.BatchNorm2d(channels);

    private static nn.Module<Tensor, Tensor> ReLU6() => nn.ReLU6(inplace: true);
}
