using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// EfficientNet's mobile inverted bottleneck (<see href="https://arxiv.org/abs/1905.11946">Tan &amp; Le, 2019</see>), as
/// torchvision builds it: the <c>block</c> sequence (optional 1×1 expansion, depthwise convolution, squeeze-and-excitation
/// with SiLU and sigmoid, linear 1×1 projection), then, when shapes allow, <c>stochastic_depth</c> on the branch and
/// the input added.
/// </summary>
public sealed class MBConv : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> block;
    private readonly StochasticDepth stochastic_depth;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="expandRatio">Width of the hidden layer relative to the input.</param>
    /// <param name="kernel">Depthwise kernel size.</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="stochasticDepth">Probability of dropping the branch in training.</param>
    /// <exception cref="ArgumentOutOfRangeException">When the stride is not 1 or 2.</exception>
    public MBConv(long inChannels, long outChannels, double expandRatio, long kernel, long stride, double stochasticDepth)
        : base(nameof(MBConv))
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be 1 or 2.");
        UsesResidual = stride == 1 && inChannels == outChannels;
        long expanded = Channels.MakeDivisible(inChannels * expandRatio);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expanded != inChannels)
            layers.Add(new Conv2dNormActivation(inChannels, expanded, 1, 1, 1, BatchNorm, SiLU));
        layers.Add(new Conv2dNormActivation(expanded, expanded, kernel, stride, expanded, BatchNorm, SiLU));
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inChannels / 4), nn.SiLU(inplace: true), nn.Sigmoid()));
        layers.Add(new Conv2dNormActivation(expanded, outChannels, 1, 1, 1, BatchNorm, activation: null));
        // Field names are torchvision's attribute names ("block", "stochastic_depth").
        block = Sequential.Of(nameof(block), layers);
        stochastic_depth = new StochasticDepth(stochasticDepth, StochasticDepthMode.Row);
        register_module(nameof(block), block);
        register_module(nameof(stochastic_depth), stochastic_depth);
    }

    /// <summary>True when the block adds its input to its output (stride 1, same channels).</summary>
    public bool UsesResidual { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var output = block.call(input);
        if (!UsesResidual) return output;
        var kept = stochastic_depth.call(output);
        output.Dispose();
        Residual.AddInto(kept, input);
        return kept;
    }

    /// <summary>Children are registered in the constructor.</summary>
    protected override void RegisterComponents()
    {
    }

    private static nn.Module<Tensor, Tensor> BatchNorm(long channels) => nn.BatchNorm2d(channels);

    private static nn.Module<Tensor, Tensor> SiLU() => nn.SiLU(inplace: true);
}
