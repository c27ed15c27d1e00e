using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// torchvision's ConvNeXt <c>LayerNorm2d</c>: layer normalisation over the channels of an NCHW tensor, done by moving
/// channels last, normalising, and moving them back. Holds <c>weight</c> and <c>bias</c> of the channel count.
/// </summary>
public sealed class LayerNorm2d : nn.Module<Tensor, Tensor>
{
    private readonly long[] normalizedShape;

    /// <summary>Creates the layer with weight 1 and bias 0.</summary>
    /// <param name="channels">Channel count.</param>
    /// <param name="eps">Added to the variance (1e-6 in ConvNeXt).</param>
    public LayerNorm2d(long channels, double eps = 1e-6)
        : base(nameof(LayerNorm2d))
    {
        normalizedShape = [channels];
        Eps = eps;
        weight = new Parameter(torch.ones(channels));
        bias = new Parameter(torch.zeros(channels));
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
    }

    /// <summary>Scale per channel (key <c>weight</c>).</summary>
    public Parameter weight { get; }

    /// <summary>Shift per channel (key <c>bias</c>).</summary>
    public Parameter bias { get; }

    /// <summary>Added to the variance.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var channelsLast = input.permute(0, 2, 3, 1);
        using var normalized = nn.functional.layer_norm(channelsLast, normalizedShape, weight, bias, Eps);
        return normalized.permute(0, 3, 1, 2);
    }

    /// <summary>Parameters are registered in the constructor.</summary>
    protected override void RegisterComponents()
    {
    }
}
