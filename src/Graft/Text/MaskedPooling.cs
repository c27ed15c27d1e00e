using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// Pools embedded sequences <c>[B, L, D]</c> to <c>[B, D]</c> over the positions a mask <c>[B, L]</c> marks as words,
/// so padding changes nothing. A sequence with no words (an empty text) pools to zeros.
/// </summary>
public sealed class MaskedPooling : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the pooling.</summary>
    public MaskedPooling(TextPooling pooling) : base(nameof(MaskedPooling)) => Pooling = pooling;

    /// <summary>Mean or max.</summary>
    public TextPooling Pooling { get; }

    /// <summary>Pools <paramref name="embedded"/> <c>[B, L, D]</c> where <paramref name="mask"/> <c>[B, L]</c> (bool) is true.</summary>
    public override Tensor forward(Tensor embedded, Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        var keep = mask.unsqueeze(-1); // [B, L, 1]
        Tensor pooled;
        if (Pooling == TextPooling.Mean)
        {
            var weights = keep.to_type(embedded.dtype);
            var count = weights.sum(1).clamp_min(1); // [B, 1]; an empty text divides zeros by one
            pooled = (embedded * weights).sum(1) / count;
        }
        else
        {
            var maxima = embedded.masked_fill(keep.logical_not(), float.NegativeInfinity).amax([1]);
            pooled = torch.where(mask.any(1, keepdim: true), maxima, torch.zeros_like(maxima));
        }
        return pooled.MoveToOuterDisposeScope();
    }
}
