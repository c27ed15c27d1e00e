using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// Texts as fixed-length index sequences with their labels: the input of the text models. Hands out batches as
/// an int64 index tensor <c>[B, SequenceLength]</c> and an int64 label tensor <c>[B]</c>.
/// </summary>
public sealed class EncodedTexts
{
    private readonly long[] _indices;
    private readonly long[] _labels;

    /// <summary>Creates the set from row-major <c>[labels.Length, sequenceLength]</c> <paramref name="indices"/>.</summary>
    /// <exception cref="ArgumentException">When the sizes disagree.</exception>
    public EncodedTexts(long[] indices, long[] labels, int sequenceLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (indices.Length != (long)labels.Length * sequenceLength)
            throw new ArgumentException(
                $"{indices.Length} indices do not make {labels.Length} sequences of length {sequenceLength}", nameof(indices));
        _indices = indices;
        _labels = labels;
        SequenceLength = sequenceLength;
    }

    /// <summary>Number of texts.</summary>
    public int Count => _labels.Length;

    /// <summary>Length of every sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>All indices, row-major <c>[Count, SequenceLength]</c>.</summary>
    public ReadOnlySpan<long> Indices => _indices;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<long> Labels => _labels;

    /// <summary>New tensors holding everything: indices <c>[Count, SequenceLength]</c> and labels <c>[Count]</c>
    /// (owned by the caller).</summary>
    public (Tensor Indices, Tensor Labels) ToTensors() =>
        (torch.tensor(_indices, [Count, SequenceLength], ScalarType.Int64), torch.tensor(_labels, [Count], ScalarType.Int64));

    /// <summary>
    /// Batches of at most <paramref name="batchSize"/> texts, in order or shuffled with <paramref name="seed"/>
    /// (pass a different seed per epoch). Each batch's tensors are new and owned by the caller, who disposes them
    /// (e.g. in the training step's dispose scope).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="batchSize"/> is less than 1.</exception>
    public IEnumerable<(Tensor Indices, Tensor Labels)> Batches(int batchSize, bool shuffle, int seed = 0, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Iterate();

        IEnumerable<(Tensor, Tensor)> Iterate()
        {
            int[] order = [.. Enumerable.Range(0, Count)];
            if (shuffle) new Random(seed).Shuffle(order);
            for (int start = 0; start < Count; start += batchSize)
            {
                int size = Math.Min(batchSize, Count - start);
                if (dropLast && size < batchSize) yield break;
                var indices = new long[size * SequenceLength];
                var labels = new long[size];
                for (int i = 0; i < size; i++)
                {
                    int row = order[start + i];
                    _indices.AsSpan(row * SequenceLength, SequenceLength).CopyTo(indices.AsSpan(i * SequenceLength));
                    labels[i] = _labels[row];
                }
                yield return (torch.tensor(indices, [size, SequenceLength], ScalarType.Int64),
                    torch.tensor(labels, [size], ScalarType.Int64));
            }
        }
    }
}
