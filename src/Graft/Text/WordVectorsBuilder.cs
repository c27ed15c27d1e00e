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

    /// <summary>Whether <paramref name="word"/> passes the keep-filter (always true without one).</summary>
    public bool IsWanted(ReadOnlySpan<char> word) => _keep is null || _keepLookup.Contains(word);

    /// <summary>Whether <paramref name="word"/> is already kept.</summary>
    public bool IsKept(ReadOnlySpan<char> word) => _indexLookup.ContainsKey(word);

    /// <summary>
    /// The row to fill next (not yet counted), growing storage from an estimate of the kept rows to come:
    /// rows kept so far divided by <paramref name="fractionConsumed"/>, plus 3% and a little.
    /// </summary>
    /// <exception cref="InvalidDataException">When the matrix would exceed the largest .NET array.</exception>
    public Span<float> NextRow(double fractionConsumed)
    {
        if (Count == _capacity) Grow(fractionConsumed);
        return _values.AsSpan(Count * Dimension, Dimension);
    }

    /// <summary>Counts the row last returned by <see cref="NextRow"/> as <paramref name="word"/>'s vector.</summary>
    public void Commit(ReadOnlySpan<char> word)
    {
        string text = new(word);
        _index.Add(text, Count);
        _words.Add(text);
        Count++;
    }

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
