using System.Globalization;
using System.Text;

namespace Graft.Reports;

/// <summary>
/// A table of strings with a header: the one shape that results take before they are shown, whether as
/// Markdown in <c>report.md</c>, CSV in <c>metrics.csv</c>, plain text, or a Spectre table in the CLI.
/// </summary>
public sealed class Table
{
    private readonly List<string[]> _rows = new();

    /// <summary>Creates a table with these column headers.</summary>
    public Table(params string[] headers)
    {
        if (headers.Length == 0) throw new ArgumentException("A table needs at least one column.", nameof(headers));
        Headers = headers;
    }

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The rows, each with one cell per header.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Adds a row; numbers are formatted with the invariant culture.</summary>
    /// <exception cref="ArgumentException">When the row's cell count differs from the header's.</exception>
    public Table Add(params object?[] cells)
    {
        if (cells.Length != Headers.Count)
            throw new ArgumentException($"Row has {cells.Length} cells; the table has {Headers.Count} columns ({string.Join(", ", Headers)}).");
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    /// <summary>GitHub-flavoured Markdown.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Headers.Select(EscapeMarkdown)).AppendLine(" |");
        text.Append('|').AppendJoin("|", Headers.Select(_ => "---")).AppendLine("|");
        foreach (var row in _rows) text.Append("| ").AppendJoin(" | ", row.Select(EscapeMarkdown)).AppendLine(" |");
        return text.ToString();
    }

    /// <summary>RFC 4180 CSV with a header line.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendJoin(",", Headers.Select(EscapeCsv)).Append('\n');
        foreach (var row in _rows) text.AppendJoin(",", row.Select(EscapeCsv)).Append('\n');
        return text.ToString();
    }

    /// <summary>Aligned plain text.</summary>
    public override string ToString()
    {
        var widths = Headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendJoin("  ", Headers.Select((h, i) => h.PadRight(widths[i]))).AppendLine();
        text.AppendJoin("  ", widths.Select(w => new string('-', w))).AppendLine();
        foreach (var row in _rows) text.AppendJoin("  ", row.Select((c, i) => c.PadRight(widths[i]))).AppendLine();
        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string EscapeMarkdown(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");

    private static string EscapeCsv(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
