using System.Text;
using Graft.IO;

namespace Graft.Reports;

/// <summary>Builds a run folder's <c>report.md</c>: headings, paragraphs, tables and charts, in order.</summary>
public sealed class MarkdownReport
{
    private readonly StringBuilder _text = new();

    /// <summary>Starts a report with a title.</summary>
    public MarkdownReport(string title) => _text.Append("# ").AppendLine(title).AppendLine();

    /// <summary>Adds a section heading.</summary>
    public MarkdownReport Heading(string heading)
    {
        _text.Append("## ").AppendLine(heading).AppendLine();
        return this;
    }

    /// <summary>Adds a paragraph.</summary>
    public MarkdownReport Paragraph(string paragraph)
    {
        _text.AppendLine(paragraph).AppendLine();
        return this;
    }

    /// <summary>Adds a table.</summary>
    public MarkdownReport Add(Table table)
    {
        _text.Append(table.ToMarkdown()).AppendLine();
        return this;
    }

    /// <summary>Adds an image by its path relative to the report.</summary>
    public MarkdownReport Image(string caption, string relativePath)
    {
        _text.Append("![").Append(caption).Append("](").Append(relativePath.Replace('\\', '/')).AppendLine(")").AppendLine();
        return this;
    }

    /// <summary>Writes the report atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, _text.ToString());

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();
}
