using System.Text;

namespace Graft.Text;

/// <summary>
/// Reads RFC 4180 records: fields separated by one delimiter, records by CRLF, LF or CR; a field in double
/// quotes may hold delimiters, line breaks and doubled quotes (<c>""</c> → <c>"</c>). A quote inside an unquoted
/// field is kept as is. Tracks 1-based physical line numbers for messages.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, string path)
{
    private readonly StringBuilder _field = new();
    private long _line = 1;

    /// <summary>The line the last record read started on.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at end of file.</summary>
    /// <exception cref="FormatException">When a quoted field is not closed or is followed by other characters.</exception>
    public bool TryRead(List<string> fields)
    {
        fields.Clear();
        int c = reader.Read();
        if (c == -1) return false;
        RecordLine = _line;
        while (true)
        {
            if (c == '"')
            {
                long opened = _line;
                while (true)
                {
                    c = reader.Read();
                    if (c == -1)
                        throw new FormatException($"{path}: line {opened}: a quoted field (field {fields.Count + 1}) is not closed before the end of the file");
                    if (c == '"')
                    {
                        if (reader.Peek() != '"') break;
                        reader.Read();
                    }
                    else if (c == '\n')
                    {
                        _line++;
                    }
                    _field.Append((char)c);
                }
                c = reader.Read();
                if (c != delimiter && c != '\n' && c != '\r' && c != -1)
                    throw new FormatException(
                        $"{path}: line {_line}: '{(char)c}' follows the closing quote of field {fields.Count + 1}; a quote inside a quoted field is written twice (\"\")");
            }
            else
            {
                while (c != delimiter && c != '\n' && c != '\r' && c != -1)
                {
                    _field.Append((char)c);
                    c = reader.Read();
                }
            }
            fields.Add(_field.ToString());
            _field.Clear();
            if (c == delimiter)
            {
                c = reader.Read();
                continue;
            }
            if (c == '\r' && reader.Peek() == '\n') reader.Read();
            if (c != -1) _line++;
            return true;
        }
    }

    /// <summary>
    /// The delimiter of a first line: the most frequent of comma, tab, semicolon and bar outside double quotes
    /// (ties in that order); null when none occurs.
    /// </summary>
    public static char? DetectDelimiter(string firstLine)
    {
        ReadOnlySpan<char> candidates = [',', '\t', ';', '|'];
        Span<int> counts = stackalloc int[candidates.Length];
        bool quoted = false;
        foreach (char c in firstLine)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && candidates.IndexOf(c) is int i and >= 0) counts[i]++;
        }
        int best = 0;
        for (int i = 1; i < counts.Length; i++)
            if (counts[i] > counts[best]) best = i;
        return counts[best] > 0 ? candidates[best] : null;
    }
}
