using static TorchSharp.torch;

namespace Graft.Tests.Parity;

/// <summary>How close Graft's outputs must be to PyTorch's, and the check itself.</summary>
internal static class Tolerance
{
    /// <summary>Maximum absolute difference, relative to the largest expected magnitude when that exceeds 1.</summary>
    public const double Relative = 1e-4;

    /// <summary>Asserts <c>max |actual − expected| ≤ 1e-4 · max(1, max |expected|)</c> and equal shapes; returns the
    /// maximum absolute difference.</summary>
    public static double AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}], PyTorch's is [{string.Join(", ", expected.shape)}].");
        using var e = expected.to_type(ScalarType.Float64);
        using var a = actual.detach().to_type(ScalarType.Float64);
        using var difference = (a - e).abs();
        double maxDifference = difference.max().item<double>();
        double scale = Math.Max(1.0, e.abs().max().item<double>());
        Assert.True(maxDifference <= Relative * scale,
            $"{what}: max |difference| = {maxDifference:G4}, allowed {Relative * scale:G4} (largest expected magnitude {scale:G4}).");
        return maxDifference;
    }
}
