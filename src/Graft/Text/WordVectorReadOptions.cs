namespace Graft.Text;

/// <summary>
/// How <see cref="WordVectorReader"/> reads a word-vectors file. The defaults read every word of a file in the
/// auto-detected format and stop at the first malformed line; set <see cref="Keep"/> or <see cref="MaxWords"/>
/// to load a multi-gigabyte file in bounded memory.
/// </summary>
public sealed record WordVectorReadOptions
{
    /// <summary>The file's format; <see cref="WordVectorFormat.Auto"/> detects it from the content.</summary>
    public WordVectorFormat Format { get; init; } = WordVectorFormat.Auto;

    /// <summary>
    /// When set, only these words are kept (exact, case-sensitive match), e.g. a training vocabulary's words;
    /// reading stops early once all of them have been found. Null keeps every word.
    /// </summary>
    public IReadOnlyCollection<string>? Keep { get; init; }

    /// <summary>The most vectors to keep; reading stops once that many are kept (files are usually sorted by
    /// frequency, so this keeps the most frequent words). Null means no cap.</summary>
    public int? MaxWords { get; init; }

    /// <summary>
    /// False (default): a line with the wrong number of values or a value that is not a number stops the load with
    /// a <see cref="WordVectorsFormatException"/> naming the line. True: such lines are skipped with a warning
    /// (useful for files known to hold a few broken lines, such as words that contain spaces).
    /// </summary>
    public bool SkipMalformedLines { get; init; }

    /// <summary>How many warning messages to keep in <see cref="WordVectors.Warnings"/>; later ones are only counted.</summary>
    public int MaxWarningMessages { get; init; } = 100;
}
