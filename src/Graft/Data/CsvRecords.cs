using System.Text;

namespace Graft.Data;

/// <summary>
/// Reads CSV text as RFC 4180 describes it: comma-separated fields, fields in double quotes may hold commas,
/// line breaks and doubled quotes (<c>""</c>). Each record carries the 1-based line it starts on, for messages.
/// Blank lines are skipped; a UTF-8 byte-order mark is ignored.
/// </summary>
internal static class CsvRecords
{
    /// <summary>A parsed row and the line it starts on.</summary>
    public readonly record struct Record(int Line, string[] Fields);

    /// <exception cref="InvalidDataException">When a quoted field is not closed, or text follows a closing quote.</exception>
    public static List<Record> Parse(string text, string sourceName)
    {
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        int i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        bool rowHasContent = false; // anything (even an empty quoted field or a comma) seen on this row

        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && field.Length == 0)
            {
                i = ReadQuoted(text, i, field, ref line, sourceName);
                rowHasContent = true;
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    throw new InvalidDataException(
                        $"{sourceName} line {line}: unexpected '{text[i]}' after a closing quote (expected a comma or the end of the line).");
                continue;
            }
            i++;
            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    rowHasContent = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (rowHasContent || field.Length > 0) EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (rowHasContent || field.Length > 0) EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            records.Add(new Record(recordLine, fields.ToArray()));
            fields.Clear();
            rowHasContent = false;
        }
    }

    /// <summary>Reads a quoted field starting at the opening quote; returns the index after the closing quote.</summary>
    private static int ReadQuoted(string text, int i, StringBuilder field, ref int line, string sourceName)
    {
        int openLine = line;
        for (i++; ; i++)
        {
            if (i >= text.Length) throw new InvalidDataException($"{sourceName} line {openLine}: a quoted field is never closed.");
            char q = text[i];
            if (q == '"')
            {
                if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; continue; }
                return i + 1;
            }
            if (q == '\n') line++;
            field.Append(q);
        }
    }
}
