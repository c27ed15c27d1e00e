using System.Buffers;
using System.Text.Unicode;

namespace Graft.Text;

/// <summary>
/// Collects the rows a reader keeps into one contiguous <c>float[]</c> while the file streams past. The array is
/// sized from an estimate of the rows still to come (the share of the file read so far), so a multi-gigabyte file
/// is not copied through doubling arrays: the peak is about one matrix plus a few percent of slack.
/// </summary>
internal sealed class WordVectorsBuilder
{
    private const int FirstCapacity = 1024;

    private readonly long _maxRows;
    private readonly HashSet<string>? _keep;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _keepLookup;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _indexLookup;
    private readonly List<string> _words = [];
    private readonly List<string> _warnings = [];
    private readonly int _maxWarningMessages;
    private float[] _values = [];
    private int _capacity;
    private char[] _chars = new char[256];
    private int _pendingLength;

    public WordVectorsBuilder(WordVectorReadOptions options)
    {
        if (options.MaxWords is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxWords, "MaxWords must be at least 0.");
        _maxRows = options.MaxWords ?? long.MaxValue;
        if (options.Keep is not null)
        {
            _keep = new HashSet<string>(options.Keep, StringComparer.Ordinal);
            _keepLookup = _keep.GetAlternateLookup<ReadOnlySpan<char>>();
            _maxRows = Math.Min(_maxRows, _keep.Count);
        }
        _indexLookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxWarningMessages = Math.Max(0, options.MaxWarningMessages);
    }

    /// <summary>Vector length; 0 until set.</summary>
    public int Dimension { get; private set; }

    /// <summary>Rows kept so far.</summary>
    public int Count { get; private set; }

    /// <summary>True once no further row can be kept (the cap, or every wanted word, is reached).</summary>
    public bool IsFull => Count >= _maxRows;

    /// <summary>Warnings issued, including those beyond the kept messages.</summary>
    public long WarningCount { get; private set; }

    /// <summary>Sets the vector length, once.</summary>
    /// <exception cref="InvalidDataException">When the dimension is not positive or exceeds what one array can hold.</exception>
    public void SetDimension(int dimension)
    {
        if (dimension <= 0) throw new InvalidDataException($"the vector dimension must be positive, got {dimension}");
        Dimension = dimension;
    }

    /// <summary>
    /// Decides whether the entry whose word is <paramref name="wordBytes"/> is kept: a word that is not UTF-8 or
    /// repeats a kept word is skipped with a warning naming <paramref name="at"/>, one outside the keep-filter
    /// silently. When kept, returns the row to fill (not yet counted; <see cref="Commit"/> counts it), growing
    /// storage from an estimate of the rows to come: rows kept so far divided by <paramref name="fractionConsumed"/>,
    /// plus 3% and a little.
    /// </summary>
    /// <exception cref="InvalidDataException">When the matrix would exceed the largest .NET array.</exception>
    public bool TryBeginRow(ReadOnlySpan<byte> wordBytes, EntryPosition at, double fractionConsumed, out Span<float> row)
    {
        row = default;
        if (IsFull) return false;
        if (_chars.Length < wordBytes.Length) _chars = new char[Math.Max(wordBytes.Length, _chars.Length * 2)];
        if (Utf8.ToUtf16(wordBytes, _chars, out _, out _pendingLength, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            Warn($"{at}: the word is not valid UTF-8 (bytes {WordVectorReader.Hex(wordBytes)}); {at.Unit} skipped");
            return false;
        }
        ReadOnlySpan<char> word = _chars.AsSpan(0, _pendingLength);
        if (_keep is not null && !_keepLookup.Contains(word)) return false;
        if (_indexLookup.ContainsKey(word))
        {
            Warn($"{at}: duplicate word '{word}'; keeping its first vector");
            return false;
        }
        if (Count == _capacity) Grow(fractionConsumed);
        row = _values.AsSpan(Count * Dimension, Dimension);
        return true;
    }

    /// <summary>Counts the row last begun by <see cref="TryBeginRow"/> as its word's vector.</summary>
    public void Commit()
    {
        string text = new(_chars.AsSpan(0, _pendingLength));
        _index.Add(text, Count);
        _words.Add(text);
        Count++;
    }

    /// <summary>The word of the row last begun (for messages).</summary>
    public string PendingWord => new(_chars.AsSpan(0, _pendingLength));

    /// <summary>Records a warning; only the first <see cref="WordVectorReadOptions.MaxWarningMessages"/> are kept.</summary>
    public void Warn(string message)
    {
        WarningCount++;
        if (_warnings.Count < _maxWarningMessages) _warnings.Add(message);
    }

    /// <summary>The finished vectors. Trims the storage when the estimate left much more slack than needed.</summary>
    public WordVectors Build(string? source, WordVectorFormat format, long entriesRead)
    {
        long used = (long)Count * Dimension;
        if (_values.Length > used + used / 8 + 1024 * (long)Dimension)
            Array.Resize(ref _values, (int)used);
        return new WordVectors(_words, _index, _values, Dimension, source, format, entriesRead, _warnings, WarningCount);
    }

    private void Grow(double fractionConsumed)
    {
        long estimate = fractionConsumed > 0 ? (long)(Count / fractionConsumed * 1.03) + 1024 : 2L * Count;
        long wanted = Count < FirstCapacity ? FirstCapacity : Math.Max(estimate, Count + Count / 16 + FirstCapacity);
        wanted = Math.Min(wanted, _maxRows);
        wanted = Math.Max(wanted, Count + 1L);
        long maxRows = Array.MaxLength / Dimension;
        if (wanted > maxRows)
        {
            if (Count + 1L > maxRows)
                throw new InvalidDataException(
                    $"more than {maxRows:N0} vectors of dimension {Dimension} do not fit in one array; set MaxWords or Keep to load fewer words");
            wanted = maxRows;
        }
        var grown = GC.AllocateUninitializedArray<float>((int)(wanted * Dimension));
        _values.AsSpan(0, Count * Dimension).CopyTo(grown);
        _values = grown;
        _capacity = (int)wanted;
        _index.EnsureCapacity((int)wanted);
        _words.EnsureCapacity((int)wanted);
    }
}
