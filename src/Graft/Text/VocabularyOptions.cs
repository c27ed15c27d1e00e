namespace Graft.Text;

/// <summary>The caps applied when building a <see cref="Vocabulary"/> from training texts.</summary>
public sealed record VocabularyOptions
{
    /// <summary>A word must occur at least this often in the training texts (default 1).</summary>
    public int MinFrequency { get; init; } = 1;

    /// <summary>Keep at most this many words, the most frequent, besides the two reserved entries (Keras'
    /// example keeps 20,000). Null: no cap.</summary>
    public int? MaxWords { get; init; }
}
