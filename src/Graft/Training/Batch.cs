using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// One batch of inputs and targets from an <see cref="IBatchSource"/>.
/// </summary>
/// <remarks>
/// Ownership: the consumer owns a batch it receives and disposes it when the step is done (the
/// <see cref="Learner"/> does so at the end of each step; a custom loop writes <c>using var batch = …</c> or
/// disposes it inside its per-step <c>DisposeScope</c>). Sources create batch tensors outside any dispose scope of
/// the consumer, so a batch made on a loader thread is freed exactly once, by its consumer.
/// </remarks>
/// <param name="X">Inputs, batch dimension first (e.g. <c>[B, 3, H, W]</c>).</param>
/// <param name="Y">Targets: class indices (<c>int64 [B]</c>), multi-hot labels (<c>float32 [B, C]</c>) or
/// regression values (<c>float32 [B]</c> or <c>[B, K]</c>).</param>
public sealed record Batch(Tensor X, Tensor Y) : IDisposable
{
    /// <summary>
    /// The dataset positions of the batch's samples, in order, when the source knows them. The feature cache uses
    /// them to store each sample's features under its own index; sources that skip corrupt samples must set them.
    /// </summary>
    public IReadOnlyList<int>? Indices { get; init; }

    /// <summary>Samples the source skipped while assembling this batch (unreadable or corrupt files).</summary>
    public IReadOnlyList<DataError> Errors { get; init; } = [];

    /// <summary>Number of samples in the batch.</summary>
    public int Size => (int)X.shape[0];

    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}
