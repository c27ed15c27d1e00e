using Graft.Text;

namespace Graft.Tests.Text;

public class EmbeddingMatrixTests
{
    private static readonly WordVectors Vectors = new(["the", "cat", "mat", "unused"], [1, 2, 3, 4, 5, 6, 7, 8], 2);

    // Counts: the 3, cat 1, end 1, mat 1, on 1, sat 1; 8 tokens.
    private static Vocabulary Vocabulary(int? maxWords = null) =>
        Graft.Text.Vocabulary.Build(["The cat sat on the mat. The end"], new Tokenizer(), new VocabularyOptions { MaxWords = maxWords });

    [Fact]
    public void CoverageCountsWordTypesAndTrainingTokens()
    {
        var coverage = EmbeddingMatrix.Build(Vectors, Vocabulary()).Coverage;
        Assert.Equal(6, coverage.VocabularyWords);
        Assert.Equal(3, coverage.CoveredWords);
        Assert.Equal(0.5, coverage.WordShare);
        Assert.Equal(8, coverage.TrainingTokens);
        Assert.Equal(5, coverage.CoveredTokens); // the ×3, cat, mat
        Assert.Equal(0.625, coverage.TokenShare);
        Assert.Equal([("end", 1L), ("on", 1L), ("sat", 1L)], coverage.MostFrequentUncovered);
        Assert.Equal("vectors cover 50.0% of 6 vocabulary words and 62.5% of 8 training tokens; " +
                     "most frequent without a vector: 'end' (1), 'on' (1), 'sat' (1)", coverage.ToString());
    }

    [Fact]
    public void TokensCutFromTheVocabularyCountAsUncovered()
    {
        var coverage = EmbeddingMatrix.Build(Vectors, Vocabulary(maxWords: 3)).Coverage; // the, cat, end
        Assert.Equal((3, 2), (coverage.VocabularyWords, coverage.CoveredWords));
        Assert.Equal(4, coverage.CoveredTokens); // mat is in the vectors but was cut from the vocabulary
        Assert.Equal(0.5, coverage.TokenShare);
        Assert.Equal([("end", 1L)], coverage.MostFrequentUncovered);
    }

    [Fact]
    public void RowsHoldPretrainedVectorsAndPaddingIsZero()
    {
        var vocabulary = Vocabulary();
        var matrix = EmbeddingMatrix.Build(Vectors, vocabulary, new EmbeddingMatrixOptions { OutOfVocabulary = OutOfVocabularyInit.Zeros });
        Assert.Equal((8, 2), (matrix.Rows, matrix.Dimension));
        float[] Row(int i) => matrix.Values.AsSpan(i * 2, 2).ToArray();
        Assert.Equal([0f, 0f], Row(Graft.Text.Vocabulary.PaddingIndex));
        Assert.Equal([1f, 2f], Row(vocabulary["the"]));
        Assert.Equal([5f, 6f], Row(vocabulary["mat"]));
        Assert.Equal([0f, 0f], Row(vocabulary["sat"]));
        Assert.Equal([0f, 0f], Row(Graft.Text.Vocabulary.UnknownIndex));
    }

    [Fact]
    public void RandomRowsAreSeededAndPaddingStaysZero()
    {
        var vocabulary = Vocabulary();
        var a = EmbeddingMatrix.Build(Vectors, vocabulary, new EmbeddingMatrixOptions { Seed = 7 });
        var b = EmbeddingMatrix.Build(Vectors, vocabulary, new EmbeddingMatrixOptions { Seed = 7 });
        var c = EmbeddingMatrix.Build(Vectors, vocabulary, new EmbeddingMatrixOptions { Seed = 8 });
        Assert.Equal(a.Values, b.Values);
        Assert.NotEqual(a.Values, c.Values);
        Assert.Equal([0f, 0f], a.Values[..2]);
        int sat = vocabulary["sat"] * 2;
        Assert.NotEqual(0f, a.Values[sat]);
        Assert.Equal([1f, 2f], a.Values.AsSpan(vocabulary["the"] * 2, 2).ToArray());
    }

    [Fact]
    public void UniformRowsStayWithinTheScale()
    {
        var vocabulary = Graft.Text.Vocabulary.FromWords(Enumerable.Range(0, 500).Select(i => $"oov{i}"));
        var matrix = EmbeddingMatrix.Build(Vectors, vocabulary,
            new EmbeddingMatrixOptions { OutOfVocabulary = OutOfVocabularyInit.Uniform, UniformScale = 0.05f, Seed = 1 });
        var rows = matrix.Values.Skip(2).ToArray();
        Assert.All(rows, v => Assert.InRange(v, -0.05f, 0.05f));
        Assert.True(rows.Max() > 0.045f && rows.Min() < -0.045f, "uniform values should fill the range");
    }

    [Fact]
    public void NormalRowsFollowTheVectorsMeanAndStandardDeviation()
    {
        // The vectors' values 1…8: mean 4.5, population std √5.25 ≈ 2.29. 2,000 OOV rows × 2 = 4,000 draws (seeded):
        // the sample mean's standard error is 0.036, so ±0.15 is over four standard errors.
        var (mean, std) = Vectors.Statistics();
        Assert.Equal(4.5, mean, 1e-12);
        Assert.Equal(Math.Sqrt(5.25), std, 1e-12);
        var vocabulary = Graft.Text.Vocabulary.FromWords(Enumerable.Range(0, 2000).Select(i => $"oov{i}"));
        var values = EmbeddingMatrix.Build(Vectors, vocabulary, new EmbeddingMatrixOptions { Seed = 3 }).Values.Skip(2).Select(v => (double)v).ToArray();
        double sampleMean = values.Average();
        double sampleStd = Math.Sqrt(values.Select(v => (v - sampleMean) * (v - sampleMean)).Average());
        Assert.InRange(sampleMean, 4.5 - 0.15, 4.5 + 0.15);
        Assert.InRange(sampleStd, std * 0.95, std * 1.05);
    }

    [Fact]
    public void TensorHasTheVocabularyByDimensionShape()
    {
        var matrix = EmbeddingMatrix.Build(Vectors, Vocabulary());
        using var tensor = matrix.ToTensor();
        Assert.Equal([8L, 2], tensor.shape);
        Assert.Equal(matrix.Values, tensor.data<float>().ToArray());
    }
}
