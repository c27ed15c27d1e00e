using static TorchSharp.torch;

namespace Graft.Tests.Weights;

internal static class TensorAssert
{
    /// <summary>Same shape and equal elements (values, not bits: dtype may differ).</summary>
    public static bool Same(Tensor expected, Tensor actual) =>
        expected.shape.SequenceEqual(actual.shape) && expected.eq(actual).all().item<bool>();

    /// <summary>Same dtype, same shape, same bytes (NaN payloads and signed zeros included).</summary>
    public static void BitwiseEqual(Tensor expected, Tensor actual, string name)
    {
        Assert.True(expected.dtype == actual.dtype, $"{name}: dtype {actual.dtype}, expected {expected.dtype}");
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{name}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        using var e = expected.contiguous();
        using var a = actual.contiguous();
        Assert.True(e.bytes.SequenceEqual(a.bytes), $"{name}: bytes differ");
    }
}
