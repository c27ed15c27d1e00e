using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// ConvNeXt's block (<see href="https://arxiv.org/abs/2201.03545">Liu et al., 2022</see>) as torchvision builds it:
/// the <c>block</c> sequence (7×7 depthwise convolution, channels last, LayerNorm, linear to 4× width, GELU, linear
/// back, channels first), scaled per channel by the learned <c>layer_scale</c>, passed through
/// <c>stochastic_depth</c>, and added to the input.
/// </summary>
public sealed class CNBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> block;
    private readonly Parameter layer_scale;
    private readonly StochasticDepth stochastic_depth;

    /// <summary>Creates the block.</summary>
    /// <param name="dim">Channels.</param>
    /// <param name="layerScale">Initial value of every <c>layer_scale</c> entry (1e-6 in ConvNeXt).</param>
    /// <param name="stochasticDepth">Probability of dropping the branch in training.</param>
    public CNBlock(long dim, double layerScale, double stochasticDepth)
        : base(nameof(CNBlock))
    {
        // Field names are torchvision's attribute names; the permutes keep the layers at torchvision's positions
        // (block.2 is the LayerNorm, block.3 and block.5 the linear layers).
        block = Sequential.Of(nameof(block),
            nn.Conv2d(dim, dim, 7, padding: 3, groups: dim, bias: true),
            new Permute(0, 2, 3, 1),
            nn.LayerNorm([dim], 1e-6),
            nn.Linear(dim, 4 * dim),
            nn.GELU(),
            nn.Linear(4 * dim, dim),
            new Permute(0, 3, 1, 2));
        layer_scale = new Parameter(torch.full(new long[] { dim, 1, 1 }, layerScale));
        stochastic_depth = new StochasticDepth(stochasticDepth, StochasticDepthMode.Row);
        register_module(nameof(block), block);
        register_parameter(nameof(layer_scale), layer_scale);
        register_module(nameof(stochastic_depth), stochastic_depth);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var branch = block.call(input);
        using var scaled = layer_scale * branch;
        var output = stochastic_depth.call(scaled);
        Residual.AddInto(output, input);
        return output;
    }

    /// <summary>Children and the parameter are registered in the constructor.</summary>
    protected override void RegisterComponents()
    {
    }
}
