using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Layers;

/// <summary>One weight tensor of a layer: a parameter, or a buffer such as a BatchNorm running mean.</summary>
/// <param name="Name">The key relative to the layer (<c>0.conv1.weight</c>).</param>
/// <param name="Tensor">The tensor itself (owned by the module: do not dispose).</param>
/// <param name="IsParameter">True for an <c>nn.Parameter</c>, false for a buffer.</param>
public sealed record Weight(string Name, Tensor Tensor, bool IsParameter)
{
    /// <summary>True when the optimizer updates it: a parameter that requires a gradient.</summary>
    public bool Trainable => IsParameter && Tensor.requires_grad;

    /// <summary>Number of scalars.</summary>
    public long Count => Tensor.numel();

    /// <summary>The parameters, then the buffers, of <paramref name="module"/> in registration order.</summary>
    public static IReadOnlyList<Weight> Of(nn.Module module)
    {
        var list = new List<Weight>();
        foreach (var (name, parameter) in module.named_parameters())
            list.Add(new Weight(name, parameter, IsParameter: true));
        foreach (var (name, buffer) in module.named_buffers())
            list.Add(new Weight(name, buffer, IsParameter: false));
        return list;
    }
}
