using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>Small helpers for the last step of residual blocks.</summary>
internal static class Residual
{
    /// <summary>Adds <paramref name="input"/> to <paramref name="sum"/> in place (the skip connection).</summary>
    public static void AddInto(Tensor sum, Tensor input) => sum.add_(input, alpha: Native.Scalars.One);

    /// <summary>
    /// Applies <paramref name="activation"/> to <paramref name="sum"/> (a tensor the block owns) and releases
    /// <paramref name="sum"/> unless the activation returned that very object (an in-place activation may).
    /// </summary>
    public static Tensor Finish(Tensor sum, nn.Module<Tensor, Tensor> activation)
    {
        var output = activation.call(sum);
        if (!ReferenceEquals(output, sum)) sum.Dispose();
        return output;
    }
}
