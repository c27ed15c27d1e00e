using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>Keras' <c>GlobalMaxPooling1D</c> for channels-first input: <c>[B, C, L]</c> → <c>[B, C]</c>, the maximum over L.</summary>
public sealed class GlobalMaxPooling1d : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the pooling.</summary>
    public GlobalMaxPooling1d() : base(nameof(GlobalMaxPooling1d))
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input.amax([-1]);
}
