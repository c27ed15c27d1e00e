using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>torchvision's <c>Permute</c>: reorders the dimensions of its input. It has no weights; it exists as a layer
/// so that the layers after it keep torchvision's positions (and weight keys) inside a block.</summary>
public sealed class Permute : nn.Module<Tensor, Tensor>
{
    private readonly long[] dims;

    /// <summary>Creates the layer.</summary>
    /// <param name="dims">The new order of the dimensions.</param>
    public Permute(params long[] dims)
        : base(nameof(Permute)) => this.dims = dims;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input.permute(dims);
}
