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
        int line = 1, recordLine = 1, i = 0;
        bool fieldStarted = false;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldStarted = false;
        }
        void EndRecord()
        {
            bool blank = fields.Count == 0 && !fieldStarted && field.Length == 0;
            if (!blank)
            {
                EndField();
                records.Add(new Record(recordLine, fields.ToArray()));
            }
            fields.Clear();
        }

        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                int openLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw new InvalidDataException($"{sourceName} line {openLine}: a quoted field is never closed.");
                    char q = text[i];
                    if (q == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (q == '\n') line++;
                    field.Append(q);
                    i++;
                }
                fieldStarted = true;
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    throw new InvalidDataException(
                        $"{sourceName} line {line}: unexpected '{text[i]}' after a closing quote (expected a comma or the end of the line).");
                continue;
            }
            switch (c)
            {
                case ',':
                    EndField();
                    fieldStarted = true; // the next field exists even if it turns out empty
                    i++;
                    break;
                case '\r':
                    i++;
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    i++;
                    break;
                default:
                    field.Append(c);
                    i++;
                    break;
            }
        }
        EndRecord();
        return records;
    }
}
