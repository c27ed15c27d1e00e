using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// Squeeze-and-Excitation (<see href="https://arxiv.org/abs/1709.01507">Hu et al., 2017</see>) as torchvision builds it:
/// global average pool, 1×1 convolution <c>fc1</c> down to the squeeze channels, <c>activation</c>, 1×1 convolution
/// <c>fc2</c> back up, <c>scale_activation</c>, then the input scaled channel-wise.
/// </summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly nn.Module<Tensor, Tensor> activation;
    private readonly nn.Module<Tensor, Tensor> scale_activation;

    /// <summary>Creates the block.</summary>
    /// <param name="inputChannels">Channels of the input (and output).</param>
    /// <param name="squeezeChannels">Channels of the bottleneck.</param>
    /// <param name="activation">The activation between the two convolutions (ReLU in MobileNetV3, SiLU in EfficientNet).</param>
    /// <param name="scaleActivation">The gate (Hardsigmoid in MobileNetV3, Sigmoid in EfficientNet).</param>
    public SqueezeExcitation(long inputChannels, long squeezeChannels, nn.Module<Tensor, Tensor> activation, nn.Module<Tensor, Tensor> scaleActivation)
        : base(nameof(SqueezeExcitation))
    {
        // Field names are torchvision's attribute names: they are the weight keys (fc1.weight, fc2.bias).
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(inputChannels, squeezeChannels, 1);
        fc2 = nn.Conv2d(squeezeChannels, inputChannels, 1);
        this.activation = activation;
        scale_activation = scaleActivation;
        register_module(nameof(avgpool), avgpool);
        register_module(nameof(fc1), fc1);
        register_module(nameof(fc2), fc2);
        register_module(nameof(activation), this.activation);
        register_module(nameof(scale_activation), scale_activation);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var pooled = avgpool.call(input);
        using var squeezed = fc1.call(pooled);
        using var activated = activation.call(squeezed);
        using var expanded = fc2.call(activated);
        using var scale = scale_activation.call(expanded);
        return scale * input;
    }

    /// <summary>Children are registered in the constructor, in torchvision's order.</summary>
    protected override void RegisterComponents()
    {
    }
}
