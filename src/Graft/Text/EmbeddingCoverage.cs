using System.Globalization;

namespace Graft.Text;

/// <summary>
/// How much of a training vocabulary pretrained vectors cover: the share of word types with a vector and the
/// share of training tokens whose word has one (tokens cut from the vocabulary count as uncovered), with the
/// most frequent words left without a vector.
/// </summary>
/// <param name="VocabularyWords">Words in the vocabulary (reserved entries excluded).</param>
/// <param name="CoveredWords">Of those, words with a pretrained vector.</param>
/// <param name="TrainingTokens">All tokens counted in the training texts (0 when the vocabulary has no counts).</param>
/// <param name="CoveredTokens">Training tokens whose word is in the vocabulary and has a vector.</param>
/// <param name="MostFrequentUncovered">Vocabulary words without a vector, most frequent first, with their counts.</param>
public sealed record EmbeddingCoverage(
    int VocabularyWords,
    int CoveredWords,
    long TrainingTokens,
    long CoveredTokens,
    IReadOnlyList<(string Word, long Count)> MostFrequentUncovered)
{
    /// <summary>Share of vocabulary words with a vector, in [0, 1] (1 for an empty vocabulary).</summary>
    public double WordShare => VocabularyWords == 0 ? 1.0 : (double)CoveredWords / VocabularyWords;

    /// <summary>Share of training tokens covered, in [0, 1]; NaN when the vocabulary has no counts.</summary>
    public double TokenShare => TrainingTokens == 0 ? double.NaN : (double)CoveredTokens / TrainingTokens;

    /// <summary>One line for a log: both shares and the first uncovered words.</summary>
    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        string tokens = TrainingTokens == 0
            ? ""
            : string.Format(culture, " and {0:F1}% of {1:N0} training tokens", 100 * TokenShare, TrainingTokens);
        string uncovered = MostFrequentUncovered.Count == 0
            ? ""
            : "; most frequent without a vector: " + string.Join(", ", MostFrequentUncovered.Take(10).Select(u => $"'{u.Word}' ({u.Count.ToString("N0", culture)})"));
        return string.Format(culture, "vectors cover {0:F1}% of {1:N0} vocabulary words{2}{3}", 100 * WordShare, VocabularyWords, tokens, uncovered);
    }
}
