using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>
/// torchvision's weight initialisations, drawn from libtorch's global generator in torchvision's order, so a model
/// built after <c>torch.manual_seed(s)</c> starts from the same numbers as its torchvision twin built after the
/// same seed.
/// </summary>
internal static class TorchvisionInit
{
    /// <summary>
    /// The modules of a tree in PyTorch's <c>modules()</c> order: depth-first, parent before children, children in
    /// registration order. (TorchSharp's <c>modules()</c> lists breadth-first, which would draw random numbers in
    /// a different order.)
    /// </summary>
    public static IEnumerable<nn.Module> PreOrder(nn.Module root)
    {
        yield return root;
        foreach (var (_, child) in root.named_children())
            foreach (var module in PreOrder(child))
                yield return module;
    }

    /// <summary>He-normal with fan-out and ReLU gain (<c>kaiming_normal_(w, mode="fan_out", nonlinearity="relu")</c>).</summary>
    public static void KaimingNormalFanOut(Tensor weight)
    {
        long fanOut = weight.shape[0];
        for (int i = 2; i < weight.shape.Length; i++) fanOut *= weight.shape[i];
        Normal(weight, 0.0, Math.Sqrt(2.0) / Math.Sqrt(fanOut));
    }

    /// <summary>Fills with draws from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static void Normal(Tensor tensor, double mean, double std)
    {
        using var _ = torch.no_grad();
        tensor.normal_(mean, std);
    }

    /// <summary>Fills with draws from U(<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void Uniform(Tensor tensor, double low, double high)
    {
        using var _ = torch.no_grad();
        tensor.uniform_(low, high);
    }

    /// <summary>Fills with a constant.</summary>
    public static void Constant(Tensor? tensor, double value)
    {
        if (tensor is null) return;
        using var _ = torch.no_grad();
        tensor.fill_(value);
    }

    /// <summary>
    /// PyTorch's <c>trunc_normal_(w, mean, std, a, b)</c>: inverse-CDF sampling of a normal truncated to [a, b]
    /// (bounds in absolute units, not standard deviations), drawing one uniform per element as PyTorch does.
    /// </summary>
    public static void TruncatedNormal(Tensor tensor, double mean, double std, double a = -2.0, double b = 2.0)
    {
        double low = NormalCdf((a - mean) / std), high = NormalCdf((b - mean) / std);
        using var _ = torch.no_grad();
        tensor.uniform_(2 * low - 1, 2 * high - 1);
        tensor.erfinv_();
        tensor.mul_(std * Math.Sqrt(2.0));
        tensor.add_(mean);
        tensor.clamp_(a, b);
    }

    /// <summary>BatchNorm and LayerNorm start as the identity: weight 1, bias 0.</summary>
    public static void IdentityNorm(nn.Module norm)
    {
        switch (norm)
        {
            case BatchNorm bn:
                Constant(bn.weight, 1.0);
                Constant(bn.bias, 0.0);
                break;
            case LayerNorm ln:
                Constant(ln.weight, 1.0);
                Constant(ln.bias, 0.0);
                break;
        }
    }

    // .NET has no erf; libtorch's (the C library's, as Python's math.erf) keeps the bounds identical to PyTorch's.
    private static double NormalCdf(double x)
    {
        using var t = torch.tensor(x / Math.Sqrt(2.0), ScalarType.Float64);
        using var e = t.erf();
        return (1.0 + e.item<double>()) / 2.0;
    }
}
