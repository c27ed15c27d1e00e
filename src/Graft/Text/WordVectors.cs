using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// Pretrained word vectors: each word's row in one contiguous row-major <c>[Count, Dimension]</c> float matrix.
/// Load a file with <see cref="Load"/> (GloVe, word2vec text or binary, fastText <c>.vec</c>; gzipped or not).
/// </summary>
public sealed class WordVectors
{
    private readonly List<string> _words;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly float[] _values; // may hold unused slack after Count * Dimension
    private readonly List<string> _warnings;

    internal WordVectors(List<string> words, Dictionary<string, int> index, float[] values, int dimension,
        string? source, WordVectorFormat format, long entriesRead, List<string> warnings, long warningCount)
    {
        _words = words;
        _index = index;
        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        _values = values;
        Dimension = dimension;
        Source = source;
        Format = format;
        EntriesRead = entriesRead;
        _warnings = warnings;
        WarningCount = warningCount;
    }

    /// <summary>Vectors built in memory: <paramref name="values"/> is row-major <c>[words.Count, dimension]</c>.</summary>
    /// <exception cref="ArgumentException">When the sizes disagree or a word repeats.</exception>
    public WordVectors(IEnumerable<string> words, float[] values, int dimension)
        : this([.. words], new Dictionary<string, int>(StringComparer.Ordinal), values, dimension, null,
            WordVectorFormat.Auto, 0, [], 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (values.Length != (long)_words.Count * dimension)
            throw new ArgumentException(
                $"values holds {values.Length} floats, but {_words.Count} words × dimension {dimension} need {(long)_words.Count * dimension}",
                nameof(values));
        for (int i = 0; i < _words.Count; i++)
            if (!_index.TryAdd(_words[i], i))
                throw new ArgumentException($"word '{_words[i]}' appears more than once (rows {_index[_words[i]]} and {i})", nameof(words));
        EntriesRead = _words.Count;
    }

    /// <summary>Reads a word-vectors file; see <see cref="WordVectorReader.Read"/>.</summary>
    /// <exception cref="WordVectorsFormatException">When the file breaks its format (the message names the line).</exception>
    public static WordVectors Load(string path, WordVectorReadOptions? options = null) =>
        WordVectorReader.Read(path, options);

    /// <summary>Number of words (rows).</summary>
    public int Count => _words.Count;

    /// <summary>Length of each vector.</summary>
    public int Dimension { get; }

    /// <summary>The words in row order (file order).</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>All vectors, row-major <c>[Count, Dimension]</c>.</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count * Dimension);

    /// <summary>The file the vectors came from; null when built in memory.</summary>
    public string? Source { get; }

    /// <summary>The format the file was read as.</summary>
    public WordVectorFormat Format { get; }

    /// <summary>Word entries read from the file (kept or not); less than the file's total when reading stopped early.</summary>
    public long EntriesRead { get; }

    /// <summary>The first warnings issued while reading (duplicate words, skipped lines), each naming its line.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>All warnings issued, including those not kept in <see cref="Warnings"/>.</summary>
    public long WarningCount { get; }

    /// <summary>The vector in row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> this[int row]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(row);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
            return _values.AsSpan(row * Dimension, Dimension);
        }
    }

    /// <summary>The row of <paramref name="word"/> (exact, case-sensitive), or -1.</summary>
    public int IndexOf(string word) => _index.TryGetValue(word, out int row) ? row : -1;

    /// <summary>The row of <paramref name="word"/> (exact, case-sensitive), or -1.</summary>
    public int IndexOf(ReadOnlySpan<char> word) => _lookup.TryGetValue(word, out int row) ? row : -1;

    /// <summary>Whether <paramref name="word"/> has a vector.</summary>
    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>The vector of <paramref name="word"/>; false when the word has none.</summary>
    public bool TryGetVector(string word, out ReadOnlySpan<float> vector)
    {
        if (_index.TryGetValue(word, out int row))
        {
            vector = _values.AsSpan(row * Dimension, Dimension);
            return true;
        }
        vector = default;
        return false;
    }

    /// <summary>Mean and standard deviation over every value of every vector (0, 0 when empty).</summary>
    public (double Mean, double StandardDeviation) Statistics()
    {
        ReadOnlySpan<float> values = Values;
        if (values.IsEmpty) return (0, 0);
        double sum = 0, sumSquares = 0;
        foreach (float v in values)
        {
            sum += v;
            sumSquares += (double)v * v;
        }
        double mean = sum / values.Length;
        return (mean, Math.Sqrt(Math.Max(0, sumSquares / values.Length - mean * mean)));
    }

    /// <summary>A new float32 tensor <c>[Count, Dimension]</c> holding a copy of the vectors (owned by the caller).</summary>
    public Tensor ToTensor()
    {
        var result = torch.empty(Count, Dimension, dtype: ScalarType.Float32);
        using var accessor = result.data<float>();
        accessor.CopyFrom(Values, 0, 0);
        return result;
    }
}
