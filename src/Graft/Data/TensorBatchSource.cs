using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Data;

/// <summary>
/// An <see cref="IBatchSource"/> over two in-memory tensors: inputs <c>X</c> and targets <c>Y</c> with the same
/// first dimension. Shuffles with a seeded, per-epoch permutation (<see cref="SampleOrder"/>); optionally applies
/// a random augmentation to each batch, in which case <see cref="VariesBetweenEpochs"/> is true.
/// </summary>
/// <remarks>The source keeps references to <c>X</c> and <c>Y</c> and never disposes them: they stay the caller's.</remarks>
public sealed class TensorBatchSource : IBatchSource
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly bool _shuffle;
    private readonly long _seed;
    private readonly bool _dropLast;
    private readonly Func<Tensor, Tensor>? _augment;

    /// <summary>Creates a source over <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <param name="x">Inputs, samples along dimension 0.</param>
    /// <param name="y">Targets, samples along dimension 0.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">Visit samples in a seeded random order that changes every epoch.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="dropLast">Drop the last batch of an epoch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <param name="augment">A random transform applied to each input batch (using torch's global generator, so a
    /// resumed run repeats it); the result must be a new tensor.</param>
    /// <exception cref="ArgumentException">When the first dimensions differ or the tensors are empty.</exception>
    public TensorBatchSource(Tensor x, Tensor y, int batchSize, bool shuffle = true, long seed = 0, bool dropLast = false,
        Func<Tensor, Tensor>? augment = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (x.shape.Length == 0 || y.shape.Length == 0 || x.shape[0] != y.shape[0])
            throw new ArgumentException(
                $"X and Y need the same number of samples along dimension 0; got X [{string.Join(", ", x.shape)}] and Y [{string.Join(", ", y.shape)}].");
        if (x.shape[0] == 0) throw new ArgumentException("X holds no samples.", nameof(x));
        _x = x;
        _y = y;
        _shuffle = shuffle;
        _seed = seed;
        _dropLast = dropLast;
        _augment = augment;
        SampleCount = (int)x.shape[0];
        BatchSize = batchSize;
        Count = dropLast ? Math.Max(1, SampleCount / batchSize) : (SampleCount + batchSize - 1) / batchSize;
    }

    /// <inheritdoc/>
    public int SampleCount { get; }

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public bool VariesBetweenEpochs => _augment is not null;

    /// <inheritdoc/>
    public IReadOnlyList<int> Order(int epoch) =>
        _shuffle ? SampleOrder.Shuffled(_seed, epoch, SampleCount) : SampleOrder.Sequential(SampleCount);

    /// <inheritdoc/>
    public IEnumerable<Batch> Batches(int epoch)
    {
        var order = Order(epoch);
        for (int k = 0; k < Count; k++)
        {
            int start = k * BatchSize;
            int length = Math.Min(BatchSize, SampleCount - start);
            if (_dropLast && length < BatchSize) yield break;
            var indices = new int[length];
            for (int i = 0; i < length; i++) indices[i] = order[start + i];
            // Built in a helper: an iterator must not yield while a dispose scope it opened is still open.
            yield return Take(indices);
        }
    }

    private Batch Take(int[] indices)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(indices.Select(i => (long)i).ToArray(), ScalarType.Int64, _x.device);
        var x = _x.index_select(0, index);
        if (_augment is not null) x = _augment(x);
        var y = _y.index_select(0, index);
        return new Batch(x.DetachFromDisposeScope(), y.DetachFromDisposeScope()) { Indices = indices };
    }
}
