namespace Graft.Text;

/// <summary>
/// Parses the text formats, <c>word v1 … vd</c> per line: GloVe (no header) and word2vec/fastText text (a
/// <c>count dim</c> header first). Values are separated by spaces (runs of spaces and trailing spaces are
/// tolerated); the word is everything before the first space.
/// </summary>
internal sealed class WordVectorTextParser(string path, ByteSource source, WordVectorsBuilder builder, WordVectorReadOptions options)
{
    private string _dimensionOrigin = "";

    /// <summary>Reads every line; returns the number of word entries read.</summary>
    /// <exception cref="WordVectorsFormatException">When a line or the header breaks the format.</exception>
    public long Read(bool hasHeader)
    {
        long line = 0, headerCount = -1, entries = 0;
        if (hasHeader)
        {
            if (!source.TryReadLine(out ReadOnlySpan<byte> header))
                throw new WordVectorsFormatException(path, 0, "the file is empty; expected a 'count dim' header line");
            line = 1;
            if (!WordVectorReader.TryParseHeader(header, out headerCount, out int dimension))
                throw new WordVectorsFormatException(path, 1,
                    $"expected a 'count dim' header of two integers (word2vec/fastText text format), found '{WordVectorReader.Show(header)}'");
            builder.SetDimension(dimension);
            _dimensionOrigin = "the dimension in the header on line 1";
        }
        // A GloVe file's first line is read even when nothing is to be kept, to learn the dimension.
        while ((!builder.IsFull || builder.Dimension == 0) && source.TryReadLine(out ReadOnlySpan<byte> text))
        {
            line++;
            if (text.Trim((byte)' ').IsEmpty)
            {
                builder.Warn($"line {line}: empty line skipped");
                continue;
            }
            entries++;
            if (hasHeader && entries > headerCount)
                throw new WordVectorsFormatException(path, line,
                    $"the header on line 1 announces {headerCount} words, but this line holds another");
            ParseLine(text, line);
        }
        if (hasHeader && !builder.IsFull && entries != headerCount)
            throw new WordVectorsFormatException(path, 0,
                $"the header on line 1 announces {headerCount} words, but the file holds {entries} (truncated?)");
        if (!hasHeader && entries == 0)
            throw new WordVectorsFormatException(path, 0, "the file holds no word vectors");
        return entries;
    }

    private void ParseLine(ReadOnlySpan<byte> text, long line)
    {
        int space = text.IndexOf((byte)' ');
        if (space == 0)
        {
            Malformed(line, "the line starts with a space, so its word is empty");
            return;
        }
        ReadOnlySpan<byte> wordBytes = space < 0 ? text : text[..space];
        ReadOnlySpan<byte> values = space < 0 ? default : text[(space + 1)..].TrimEnd((byte)' ');
        if (builder.Dimension == 0)
        {
            int found = CountFields(values);
            if (found == 0)
                throw new WordVectorsFormatException(path, line,
                    $"word '{WordVectorReader.Show(wordBytes)}' has no values after it; expected 'word v1 … vd' (GloVe text format)");
            builder.SetDimension(found);
            _dimensionOrigin = $"the dimension of line {line}";
        }
        int count = CountFields(values);
        if (count != builder.Dimension)
        {
            Malformed(line, $"expected {builder.Dimension} values ({_dimensionOrigin}), found {count} after word '{WordVectorReader.Show(wordBytes)}'");
            return;
        }
        if (!builder.TryBeginRow(wordBytes, new EntryPosition("line", line), source.FractionConsumed, out Span<float> row)) return;
        if (!TryParseValues(values, row, out string? problem))
        {
            Malformed(line, $"{problem} (word '{builder.PendingWord}')");
            return;
        }
        builder.Commit();
    }

    private void Malformed(long line, string message)
    {
        if (!options.SkipMalformedLines) throw new WordVectorsFormatException(path, line, message);
        builder.Warn($"line {line}: {message}; line skipped");
    }

    /// <summary>Space-separated fields in <paramref name="values"/> (no trailing spaces).</summary>
    private static int CountFields(ReadOnlySpan<byte> values)
    {
        if (values.IsEmpty) return 0;
        // Fast path: single spaces only, so fields = spaces + 1 (both scans are vectorised).
        if (values[0] != (byte)' ' && values.IndexOf("  "u8) < 0) return values.Count((byte)' ') + 1;
        int fields = 0;
        bool inField = false;
        foreach (byte b in values)
        {
            bool isSpace = b == (byte)' ';
            if (!isSpace && !inField) fields++;
            inField = !isSpace;
        }
        return fields;
    }

    private static bool TryParseValues(ReadOnlySpan<byte> values, Span<float> row, out string? problem)
    {
        int i = 0;
        while (!values.IsEmpty)
        {
            int space = values.IndexOf((byte)' ');
            ReadOnlySpan<byte> field = space < 0 ? values : values[..space];
            values = space < 0 ? default : values[(space + 1)..];
            if (field.IsEmpty) continue;
            if (!FloatText.TryParse(field, out row[i]))
            {
                problem = $"value {i + 1} '{WordVectorReader.Show(field)}' is not a number";
                return false;
            }
            i++;
        }
        problem = null;
        return true;
    }
}
