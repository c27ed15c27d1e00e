namespace Graft.Text;

/// <summary>A word-vectors file that does not follow its format; the message names the file, the line (or entry)
/// and what was expected.</summary>
public sealed class WordVectorsFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="path"/> at 1-based <paramref name="line"/> (0 when not tied
    /// to a line); <paramref name="unit"/> names what is counted (<c>line</c>, or <c>entry</c> in binary files).</summary>
    public WordVectorsFormatException(string path, long line, string message, string unit = "line")
        : base(line > 0 ? $"{path}: {unit} {line}: {message}" : $"{path}: {message}")
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>The 1-based line of text formats, or the 1-based entry (word) of the binary format; 0 for the whole file.</summary>
    public long Line { get; }
}
