using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>Which part of a batch <see cref="StochasticDepth"/> drops together.</summary>
public enum StochasticDepthMode
{
    /// <summary>Each sample (row) of the batch is kept or dropped on its own.</summary>
    Row,

    /// <summary>The whole batch is kept or dropped.</summary>
    Batch,
}

/// <summary>
/// Stochastic depth (<see href="https://arxiv.org/abs/1603.09382">Huang et al., 2016</see>), torchvision's
/// <c>StochasticDepth</c>: in training, zeroes a residual branch with probability <see cref="P"/> and scales the
/// survivors by 1/(1−p); in evaluation it is the identity. The mask is drawn from libtorch's global generator with
/// <c>bernoulli_</c>, as torchvision does, so seeded runs reproduce PyTorch's.
/// </summary>
public sealed class StochasticDepth : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="p">Probability of dropping, in [0, 1].</param>
    /// <param name="mode">Per sample or per batch.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="p"/> is outside [0, 1].</exception>
    public StochasticDepth(double p, StochasticDepthMode mode = StochasticDepthMode.Row)
        : base(nameof(StochasticDepth))
    {
        if (p is < 0.0 or > 1.0 || double.IsNaN(p))
            throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be between 0 and 1.");
        P = p;
        Mode = mode;
    }

    /// <summary>Probability of dropping the branch.</summary>
    public double P { get; }

    /// <summary>Per sample or per batch.</summary>
    public StochasticDepthMode Mode { get; }

    /// <summary>Returns the input (as a new handle, so the caller may dispose either) in evaluation or when p = 0,
    /// else the input times a scaled Bernoulli mask.</summary>
    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0.0) return input.alias();
        double survival = 1.0 - P;
        var size = new long[input.dim()];
        Array.Fill(size, 1L);
        if (Mode == StochasticDepthMode.Row) size[0] = input.shape[0];
        using var noise = torch.empty(size, input.dtype, input.device);
        noise.bernoulli_(survival);
        if (survival > 0.0) noise.div_(survival);
        return input * noise;
    }
}
