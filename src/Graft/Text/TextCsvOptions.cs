namespace Graft.Text;

/// <summary>How <see cref="TextCsvReader"/> reads a CSV or TSV file of texts and labels.</summary>
public sealed record TextCsvOptions
{
    /// <summary>The field delimiter; null (default) detects it from the first line: the most frequent of
    /// comma, tab, semicolon and bar outside quotes.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Whether the first line names the columns (default true).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The column holding the text: a header name or a 0-based index (default <c>"text"</c>).</summary>
    public ColumnSelector TextColumn { get; init; } = "text";

    /// <summary>The column holding the class name: a header name or a 0-based index (default <c>"label"</c>).</summary>
    public ColumnSelector LabelColumn { get; init; } = "label";

    /// <summary>
    /// The class names in index order, e.g. those of the training set when reading a test set; a label outside
    /// them is an error. Null: the distinct labels of the file, sorted ordinally.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }
}
