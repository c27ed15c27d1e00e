using Graft.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// torchvision's <c>Conv2dNormActivation</c>: a convolution (child "0"), an optional normalisation ("1") and an
/// optional activation (next index), with "same" padding for odd kernels. The convolution has a bias only when there
/// is no normalisation, unless told otherwise.
/// </summary>
public sealed class Conv2dNormActivation : Network
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Square kernel size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="groups">Convolution groups (<paramref name="inChannels"/> for a depthwise convolution).</param>
    /// <param name="norm">Makes the normalisation layer for a channel count; null for none.</param>
    /// <param name="activation">Makes the activation; null for none.</param>
    /// <param name="padding">Padding; <c>(kernelSize - 1) / 2 * dilation</c> by default.</param>
    /// <param name="dilation">Dilation.</param>
    /// <param name="bias">Whether the convolution has a bias; by default only without normalisation.</param>
    public Conv2dNormActivation(
        long inChannels,
        long outChannels,
        long kernelSize,
        long stride,
        long groups,
        Func<long, nn.Module<Tensor, Tensor>>? norm,
        Func<nn.Module<Tensor, Tensor>>? activation,
        long? padding = null,
        long dilation = 1,
        bool? bias = null)
        : base(nameof(Conv2dNormActivation), Build(inChannels, outChannels, kernelSize, stride, groups, norm, activation, padding, dilation, bias), inline: false, headName: null)
    {
    }

    private static IEnumerable<(string, nn.Module<Tensor, Tensor>)> Build(
        long inChannels, long outChannels, long kernelSize, long stride, long groups,
        Func<long, nn.Module<Tensor, Tensor>>? norm, Func<nn.Module<Tensor, Tensor>>? activation,
        long? padding, long dilation, bool? bias)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding ?? (kernelSize - 1) / 2 * dilation,
                dilation: dilation, groups: groups, bias: bias ?? norm is null),
        };
        if (norm is not null) layers.Add(norm(outChannels));
        if (activation is not null) layers.Add(activation());
        return layers.Select((module, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
    }
}
