namespace Graft.Text;

/// <summary>Settings for <see cref="EmbeddingMatrix.Build"/>.</summary>
public sealed record EmbeddingMatrixOptions
{
    /// <summary>How rows without a pretrained vector start (default: normal with the vectors' statistics).</summary>
    public OutOfVocabularyInit OutOfVocabulary { get; init; } = OutOfVocabularyInit.Normal;

    /// <summary>Half-width of <see cref="OutOfVocabularyInit.Uniform"/>.</summary>
    public float UniformScale { get; init; } = 0.05f;

    /// <summary>Seed of the random rows: the same seed gives the same matrix.</summary>
    public int Seed { get; init; }

    /// <summary>How many uncovered words the coverage report lists.</summary>
    public int UncoveredToList { get; init; } = 20;
}
