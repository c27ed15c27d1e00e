namespace Graft.Text;

/// <summary>A text dataset has no column the caller asked for (by name or index), or a name was asked for in a file
/// read without a header; the message names the file and lists the columns there are.</summary>
public sealed class MissingColumnException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The dataset file.</param>
    /// <param name="role">What the column was to hold: <c>text</c> or <c>label</c>.</param>
    /// <param name="message">The full message.</param>
    public MissingColumnException(string path, string role, string message) : base(message)
    {
        Path = path;
        Role = role;
    }

    /// <summary>The dataset file.</summary>
    public string Path { get; }

    /// <summary>What the column was to hold: <c>text</c> or <c>label</c>.</summary>
    public string Role { get; }
}
