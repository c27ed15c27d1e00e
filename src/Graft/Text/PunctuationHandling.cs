namespace Graft.Text;

/// <summary>What the tokenizer does with punctuation and symbols.</summary>
public enum PunctuationHandling
{
    /// <summary>Punctuation and symbols only separate words (Keras' <c>lower_and_strip_punctuation</c>).</summary>
    Drop,

    /// <summary>Each punctuation mark or symbol (emoji included) becomes a token of its own, as in the text that
    /// GloVe and word2vec were trained on (their vocabularies hold <c>,</c> <c>.</c> <c>!</c>).</summary>
    Keep,
}
