namespace Graft.Text;

/// <summary>How the rows of words without a pretrained vector (and of <see cref="Vocabulary.UnknownIndex"/>) start.</summary>
public enum OutOfVocabularyInit
{
    /// <summary>Normal with the mean and standard deviation of all pretrained values, so they look like the others.</summary>
    Normal,

    /// <summary>Uniform in ±<see cref="EmbeddingMatrixOptions.UniformScale"/> (0.05 by default).</summary>
    Uniform,

    /// <summary>Zeros (such words then contribute nothing to mean pooling until fine-tuned).</summary>
    Zeros,
}
