using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Training.Optimizers;

/// <summary>Gradient clipping by global norm (Pascanu et al., 2013), as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their joint L2 norm is at most
    /// <paramref name="maxNorm"/>; parameters without a gradient (frozen ones) are ignored.
    /// </summary>
    /// <returns>The joint norm before clipping (NaN or infinity when a gradient is not finite).</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="maxNorm"/> is not positive.</exception>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Where(p => p.requires_grad).Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var squares = stack(grads.Select(SumOfSquares).ToArray());
        double norm = Math.Sqrt(squares.sum().item<double>());
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            using Scalar scale = coefficient;
            foreach (var grad in grads) grad.mul_(scale);
        }
        return norm;
    }

    // d * d rather than square() or pow(2), which each leave a Scalar to the finalizer (Native/Scalars).
    private static Tensor SumOfSquares(Tensor grad)
    {
        var d = grad.detach().to_type(ScalarType.Float64);
        return (d * d).sum();
    }
}
