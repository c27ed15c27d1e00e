using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>One row of MobileNetV3's block tables (the paper's Tables 1 and 2).</summary>
/// <param name="InputChannels">Input channels.</param>
/// <param name="Kernel">Depthwise kernel size.</param>
/// <param name="ExpandedChannels">Width of the hidden layer.</param>
/// <param name="OutputChannels">Output channels.</param>
/// <param name="UseSqueezeExcitation">Whether a squeeze-and-excitation follows the depthwise convolution.</param>
/// <param name="UseHardSwish">Hardswish (true) or ReLU (false) activations.</param>
/// <param name="Stride">Depthwise stride (1 or 2).</param>
public sealed record InvertedResidualV3Config(long InputChannels, long Kernel, long ExpandedChannels, long OutputChannels, bool UseSqueezeExcitation, bool UseHardSwish, long Stride);

/// <summary>
/// MobileNetV3's block (<see href="https://arxiv.org/abs/1905.02244">Howard et al., 2019</see>), torchvision's
/// <c>block</c> sequence: optional 1×1 expansion, depthwise convolution, optional squeeze-and-excitation with a
/// hard-sigmoid gate, linear 1×1 projection; added to the input when shapes allow.
/// </summary>
public sealed class InvertedResidualV3 : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> block;

    /// <summary>Creates the block from a table row, with MobileNetV3's BatchNorm (eps 0.001, momentum 0.01).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the stride is not 1 or 2.</exception>
    public InvertedResidualV3(InvertedResidualV3Config config)
        : base(nameof(InvertedResidualV3))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(config), config.Stride, "Stride must be 1 or 2.");
        UsesResidual = config.Stride == 1 && config.InputChannels == config.OutputChannels;
        Func<nn.Module<Tensor, Tensor>> activation = config.UseHardSwish ? () => nn.Hardswish(inplace: true) : () => nn.ReLU(inplace: true);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (config.ExpandedChannels != config.InputChannels)
            layers.Add(new Conv2dNormActivation(config.InputChannels, config.ExpandedChannels, 1, 1, 1, MobileNetV3.BatchNorm, activation));
        layers.Add(new Conv2dNormActivation(config.ExpandedChannels, config.ExpandedChannels, config.Kernel, config.Stride,
            config.ExpandedChannels, MobileNetV3.BatchNorm, activation));
        if (config.UseSqueezeExcitation)
            layers.Add(new SqueezeExcitation(config.ExpandedChannels, Channels.MakeDivisible(config.ExpandedChannels / 4), nn.ReLU(), nn.Hardsigmoid()));
        layers.Add(new Conv2dNormActivation(config.ExpandedChannels, config.OutputChannels, 1, 1, 1, MobileNetV3.BatchNorm, activation: null));
        // "block" is torchvision's attribute name: keys read features.4.block.2.fc1.weight.
        block = Sequential.Of(nameof(block), layers);
        register_module(nameof(block), block);
    }

    /// <summary>True when the block adds its input to its output (stride 1, same channels).</summary>
    public bool UsesResidual { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var output = block.call(input);
        if (UsesResidual) Residual.AddInto(output, input);
        return output;
    }

    /// <summary>Children are registered in the constructor.</summary>
    protected override void RegisterComponents()
    {
    }
}
