using static TorchSharp.torch;

namespace Graft.Data;

/// <summary>
/// One batch of inputs and targets: the unit every loader and batch source hands to training. Whoever receives
/// a batch owns it and disposes it (or lets an enclosing dispose scope do so).
/// </summary>
/// <param name="X">Inputs, e.g. <c>[N, C, H, W]</c> float32.</param>
/// <param name="Y">Targets: class indices <c>[N]</c> int64, or values <c>[N, K]</c> float32.</param>
public sealed record Batch(Tensor X, Tensor Y) : IDisposable
{
    /// <summary>The source positions of the samples, in batch order, when the source knows them.</summary>
    public IReadOnlyList<int>? Indices { get; init; }

    /// <summary>Samples that were skipped while making this batch (unreadable files): counted, never thrown.</summary>
    public IReadOnlyList<SkippedSample> Skipped { get; init; } = [];

    /// <summary>The batch's position in its epoch (0-based).</summary>
    public int Number { get; init; }

    /// <summary>Number of samples in the batch.</summary>
    public int Count => (int)X.shape[0];

    /// <summary>Splits into inputs and targets.</summary>
    public void Deconstruct(out Tensor x, out Tensor y)
    {
        x = X;
        y = Y;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}
