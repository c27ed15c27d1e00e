using static TorchSharp.torch;

namespace Graft.Data;

/// <summary>
/// One batch: images <see cref="X"/> (N × C × H × W float32) and targets <see cref="Y"/> (N int64 class indices, or
/// N × K float32 regression targets). The consumer owns the batch: dispose it (or let an enclosing
/// <c>torch.NewDisposeScope()</c> do it — the tensors are created on the consuming thread, inside whatever scope is
/// open there). Disposing twice is harmless.
/// </summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor x, Tensor y, int[] indices, int number)
    {
        X = x;
        Y = y;
        Indices = indices;
        Number = number;
    }

    /// <summary>Images, N × C × H × W.</summary>
    public Tensor X { get; }

    /// <summary>Targets: N class indices (int64) or N × K values (float32).</summary>
    public Tensor Y { get; }

    /// <summary>The source index of each sample, in batch order.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Indices.Count;

    /// <summary>The batch's position in its epoch (0-based, counting batches that were delivered).</summary>
    public int Number { get; }

    /// <summary>Lets <c>var (x, y) = batch;</c> work.</summary>
    public void Deconstruct(out Tensor x, out Tensor y)
    {
        x = X;
        y = Y;
    }

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}
