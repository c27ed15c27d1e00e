using Graft.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// Encoded texts as the learner's data: each <see cref="Batch"/> holds int64 word indices <c>[B, SequenceLength]</c>
/// as <c>X</c> and int64 class indices <c>[B]</c> as <c>Y</c>. Shuffles with a seeded per-epoch permutation
/// (<see cref="SampleOrder"/>), so a resumed run sees the same batches. The texts never vary between epochs.
/// </summary>
public sealed class TextBatchSource : IBatchSource
{
    private readonly EncodedTexts _texts;
    private readonly bool _shuffle;
    private readonly long _seed;
    private readonly bool _dropLast;

    /// <summary>Creates a source over <paramref name="texts"/>.</summary>
    /// <param name="texts">The encoded texts and labels.</param>
    /// <param name="batchSize">Texts per batch.</param>
    /// <param name="shuffle">Visit texts in a seeded random order that changes every epoch (training); in file order
    /// otherwise (validation, prediction).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="dropLast">Drop the last batch of an epoch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentException">When there are no texts.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="batchSize"/> is less than 1.</exception>
    public TextBatchSource(EncodedTexts texts, int batchSize, bool shuffle = true, long seed = 0, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (texts.Count == 0) throw new ArgumentException("There are no texts to make batches of.", nameof(texts));
        _texts = texts;
        _shuffle = shuffle;
        _seed = seed;
        _dropLast = dropLast;
        BatchSize = batchSize;
        Count = dropLast ? Math.Max(1, texts.Count / batchSize) : (texts.Count + batchSize - 1) / batchSize;
    }

    /// <inheritdoc/>
    public int SampleCount => _texts.Count;

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>False: a text is encoded once and gives the same indices every epoch.</summary>
    public bool VariesBetweenEpochs => false;

    /// <inheritdoc/>
    public IReadOnlyList<int> Order(int epoch) =>
        _shuffle ? SampleOrder.Shuffled(_seed, epoch, SampleCount) : SampleOrder.Sequential(SampleCount);

    /// <inheritdoc/>
    public IEnumerable<Batch> Batches(int epoch)
    {
        var order = Order(epoch);
        int length = _texts.SequenceLength;
        for (int k = 0; k < Count; k++)
        {
            int start = k * BatchSize;
            int size = Math.Min(BatchSize, SampleCount - start);
            if (_dropLast && size < BatchSize) yield break;
            var rows = new int[size];
            var indices = new long[(long)size * length];
            var labels = new long[size];
            for (int i = 0; i < size; i++)
            {
                int row = rows[i] = order[start + i];
                _texts.Indices.Slice(row * length, length).CopyTo(indices.AsSpan(i * length, length));
                labels[i] = _texts.Labels[row];
            }
            yield return new Batch(torch.tensor(indices, [size, length], ScalarType.Int64), torch.tensor(labels, [size], ScalarType.Int64))
            {
                Indices = rows,
                Number = k,
            };
        }
    }
}
