using TorchSharp;

namespace Graft.Native;

/// <summary>
/// Numbers that Graft hands to libtorch on every forward pass or step, made once. TorchSharp turns each number
/// argument into a native <see cref="Scalar"/> that nothing disposes (dispose scopes hold tensors only), including
/// the implicit <c>alpha = 1</c> of <c>Tensor.add(Tensor)</c> and of <c>+</c> between tensors (<c>-</c> has none). The finalizer
/// thread frees them later, and on glibc a block freed by another thread stays in that thread's cache: measured
/// with heaptrack on ResNet-50 inference, about 120 such blocks per forward pass were never reused, the heap's
/// free-chunk count grew by ~25 per step and resident memory with it. Hot paths pass these instead, or dispose
/// their own with <c>using Scalar s = value;</c>.
/// </summary>
internal static class Scalars
{
    /// <summary>The integer 1 (the <c>alpha</c> of a plain tensor add).</summary>
    public static readonly Scalar One = 1;
}
