using System.Text;
using System.Text.Unicode;

namespace Graft.Text;

/// <summary>
/// Reads a CSV or TSV file of texts and class labels (RFC 4180 quoting; UTF-8, with or without BOM) into
/// <see cref="LabeledTexts"/>. Blank lines are skipped; labels are trimmed of surrounding whitespace. Errors name
/// the file and line, or the missing column with the columns that exist.
/// </summary>
public static class TextCsvReader
{
    /// <summary>Reads <paramref name="path"/> with <paramref name="options"/> (default: detect the delimiter, header
    /// with columns <c>text</c> and <c>label</c>).</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="MissingColumnException">When the text or label column does not exist (the message lists those that do).</exception>
    /// <exception cref="FormatException">When the file is not UTF-8, a row lacks a column, a label is empty or
    /// unknown, or quoting is broken; the message names the line.</exception>
    public static LabeledTexts Read(string path, TextCsvOptions? options = null)
    {
        options ??= new TextCsvOptions();
        if (!File.Exists(path)) throw new FileNotFoundException($"text dataset '{path}' does not exist", path);
        ThrowIfNotUtf8(path);
        char delimiter = options.Delimiter ?? DetectDelimiter(path);

        using var text = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var records = new CsvRecordReader(text, delimiter, path);
        var fields = new List<string>();
        string[]? header = null;
        if (options.HasHeader)
        {
            if (!records.TryRead(fields)) throw new FormatException($"{path}: the file is empty; expected a header line");
            header = [.. fields.Select(f => f.Trim())];
        }
        int textColumn = Resolve(options.TextColumn, header, path, "text", delimiter);
        int labelColumn = Resolve(options.LabelColumn, header, path, "label", delimiter);
        if (textColumn == labelColumn)
            throw new FormatException($"{path}: the text column {options.TextColumn} and the label column {options.LabelColumn} are the same column");

        var texts = new List<string>();
        var labelNames = new List<string>();
        var labelLines = new List<long>();
        while (records.TryRead(fields))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            int needed = Math.Max(textColumn, labelColumn);
            if (fields.Count <= needed)
            {
                bool labelMissing = labelColumn >= fields.Count;
                var (role, selector, index) = labelMissing
                    ? ("label", options.LabelColumn, labelColumn)
                    : ("text", options.TextColumn, textColumn);
                throw new FormatException(
                    $"{path}: line {records.RecordLine}: the row has {fields.Count} field(s), but the {role} column {Describe(selector, index, header)} is field {index + 1} " +
                    $"(delimiter {Show(delimiter)})");
            }
            string label = fields[labelColumn].Trim();
            if (label.Length == 0)
                throw new FormatException($"{path}: line {records.RecordLine}: the label (column {Describe(options.LabelColumn, labelColumn, header)}) is empty");
            texts.Add(fields[textColumn]);
            labelNames.Add(label);
            labelLines.Add(records.RecordLine);
        }
        if (texts.Count == 0) throw new FormatException($"{path}: the file holds no rows of data");

        IReadOnlyList<string> classes = options.Classes ?? [.. labelNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++)
            if (!classIndex.TryAdd(classes[i], i))
                throw new ArgumentException($"class '{classes[i]}' appears twice in the given classes", nameof(options));
        var labels = new int[labelNames.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!classIndex.TryGetValue(labelNames[i], out labels[i]))
                throw new FormatException(
                    $"{path}: line {labelLines[i]}: label '{labelNames[i]}' is not one of the {classes.Count} classes: {string.Join(", ", classes.Select(c => $"'{c}'"))}");
        }
        return new LabeledTexts(texts, labels, classes);
    }

    private static int Resolve(ColumnSelector selector, string[]? header, string path, string role, char delimiter)
    {
        if (selector.Name is null)
        {
            if (header is not null && selector.Index >= header.Length)
                throw new MissingColumnException(path, role,
                    $"{path}: the {role} column {selector} does not exist; the header has {header.Length} column(s): {List(header)} (delimiter {Show(delimiter)})");
            return selector.Index;
        }
        if (header is null)
            throw new MissingColumnException(path, role,
                $"{path}: the {role} column is chosen by name {selector}, but the file is read without a header; choose it by 0-based index");
        int exact = Array.IndexOf(header, selector.Name);
        if (exact >= 0) return exact;
        int[] loose = [.. Enumerable.Range(0, header.Length).Where(i => string.Equals(header[i], selector.Name, StringComparison.OrdinalIgnoreCase))];
        if (loose.Length == 1) return loose[0];
        throw new MissingColumnException(path, role,
            $"{path}: the {role} column {selector} does not exist; the header has column(s) {List(header)} (delimiter {Show(delimiter)})");
    }

    private static string Describe(ColumnSelector selector, int index, string[]? header) =>
        selector.Name is not null ? selector.ToString() : header is not null ? $"'{header[index]}'" : selector.ToString();

    private static string List(string[] header) => string.Join(", ", header.Select(h => $"'{h}'"));

    private static string Show(char delimiter) => delimiter switch
    {
        '\t' => "tab",
        ',' => "comma",
        ';' => "semicolon",
        '|' => "bar",
        _ => $"'{delimiter}'",
    };

    private static char DetectDelimiter(string path)
    {
        using var text = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        string first = text.ReadLine() ?? "";
        return CsvRecordReader.DetectDelimiter(first)
            ?? throw new FormatException(
                $"{path}: cannot detect the delimiter: line 1 ('{(first.Length > 60 ? first[..60] + "…" : first)}') holds no comma, tab, semicolon or bar; set TextCsvOptions.Delimiter");
    }

    /// <summary>Checks the whole file is UTF-8, naming the first line that is not (a streaming pass, no text kept).</summary>
    private static void ThrowIfNotUtf8(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var bytes = new byte[1 << 20];
        var chars = new char[bytes.Length];
        int pending = 0;
        long line = 1;
        while (true)
        {
            int read = file.Read(bytes, pending, bytes.Length - pending);
            int available = pending + read;
            bool final = read == 0;
            var status = Utf8.ToUtf16(bytes.AsSpan(0, available), chars, out int consumed, out _, replaceInvalidSequences: false, isFinalBlock: final);
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                line += bytes.AsSpan(0, consumed).Count((byte)'\n');
                throw new FormatException(
                    $"{path}: line {line}: bytes that are not UTF-8 (from {Convert.ToHexString(bytes.AsSpan(consumed, Math.Min(4, available - consumed)))}); save the file as UTF-8");
            }
            line += bytes.AsSpan(0, consumed).Count((byte)'\n');
            if (final) return;
            pending = available - consumed;
            bytes.AsSpan(consumed, pending).CopyTo(bytes);
        }
    }
}
