using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// The weight of an embedding layer for a vocabulary: row i is the pretrained vector of vocabulary entry i when
/// the vectors have it, a seeded random (or zero) row otherwise, and row <see cref="Vocabulary.PaddingIndex"/> is
/// zero. Comes with its <see cref="EmbeddingCoverage"/>.
/// </summary>
public sealed class EmbeddingMatrix
{
    private EmbeddingMatrix(float[] values, int rows, int dimension, EmbeddingCoverage coverage)
    {
        Values = values;
        Rows = rows;
        Dimension = dimension;
        Coverage = coverage;
    }

    /// <summary>Rows: the vocabulary's <see cref="Vocabulary.Count"/>.</summary>
    public int Rows { get; }

    /// <summary>The vectors' dimension.</summary>
    public int Dimension { get; }

    /// <summary>Row-major <c>[Rows, Dimension]</c> values.</summary>
    public float[] Values { get; }

    /// <summary>How much of the vocabulary the vectors cover.</summary>
    public EmbeddingCoverage Coverage { get; }

    /// <summary>Builds the matrix for <paramref name="vocabulary"/> from <paramref name="vectors"/> (exact word match).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the uniform scale is negative.</exception>
    public static EmbeddingMatrix Build(WordVectors vectors, Vocabulary vocabulary, EmbeddingMatrixOptions? options = null)
    {
        options ??= new EmbeddingMatrixOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.UniformScale);
        int dimension = vectors.Dimension, rows = vocabulary.Count;
        var values = new float[(long)rows * dimension];
        var random = new Random(options.Seed);
        var (mean, std) = options.OutOfVocabulary == OutOfVocabularyInit.Normal ? vectors.Statistics() : (0, 0);
        int covered = 0;
        long coveredTokens = 0;
        var uncovered = new List<(string, long)>();
        for (int index = Vocabulary.UnknownIndex; index < rows; index++)
        {
            Span<float> row = values.AsSpan(index * dimension, dimension);
            bool isWord = index > Vocabulary.UnknownIndex;
            string entry = vocabulary.Entries[index];
            if (isWord && vectors.TryGetVector(entry, out ReadOnlySpan<float> vector))
            {
                vector.CopyTo(row);
                covered++;
                coveredTokens += vocabulary.Frequency(index);
                continue;
            }
            if (isWord && uncovered.Count < options.UncoveredToList) uncovered.Add((entry, vocabulary.Frequency(index)));
            switch (options.OutOfVocabulary)
            {
                case OutOfVocabularyInit.Normal:
                    for (int i = 0; i < row.Length; i++) row[i] = (float)(mean + std * StandardNormal(random));
                    break;
                case OutOfVocabularyInit.Uniform:
                    for (int i = 0; i < row.Length; i++) row[i] = (float)((random.NextDouble() * 2 - 1) * options.UniformScale);
                    break;
            }
        }
        // Vocabulary words are in decreasing frequency, so the first uncovered ones are the most frequent.
        var coverage = new EmbeddingCoverage(vocabulary.WordCount, covered, vocabulary.TotalTokens, coveredTokens, uncovered);
        return new EmbeddingMatrix(values, rows, dimension, coverage);
    }

    /// <summary>A new float32 tensor <c>[Rows, Dimension]</c> holding a copy of the values (owned by the caller).</summary>
    public Tensor ToTensor() => torch.tensor(Values, [Rows, Dimension], ScalarType.Float32);

    // Box–Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
    private static double StandardNormal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
