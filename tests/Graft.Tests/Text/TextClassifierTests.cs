using Graft.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Text;

public class TextClassifierTests
{
    // Vocabulary of 10 entries (pad, unk, 8 words), 4-dimensional vectors.
    private static EmbeddingMatrix Matrix(Func<int, int, float>? value = null)
    {
        value ??= (word, c) => word * 0.1f + c * 0.01f;
        string[] words = [.. Enumerable.Range(0, 8).Select(i => $"w{i}")];
        var values = new float[8 * 4];
        for (int w = 0; w < 8; w++)
            for (int c = 0; c < 4; c++) values[w * 4 + c] = value(w, c);
        return EmbeddingMatrix.Build(new WordVectors(words, values, 4), Vocabulary.FromWords(words),
            new EmbeddingMatrixOptions { OutOfVocabulary = OutOfVocabularyInit.Zeros });
    }

    private static float[] Values(Tensor t) => t.data<float>().ToArray();

    private static Tensor Ids(long[,] ids) => torch.tensor(ids);

    [Fact]
    public void PooledModelHasNamedChildrenInForwardOrderAndStableKeys()
    {
        using var model = new PooledTextClassifier(Matrix(), numClasses: 3);
        Assert.Equal(["embedding", "pool", "head"], model.named_children().Select(c => c.name));
        Assert.Equal(["embedding.weight", "head.classifier.weight", "head.classifier.bias"], model.state_dict().Keys);
        using var mlp = new PooledTextClassifier(Matrix(), 3, new PooledTextClassifierOptions { HiddenUnits = 16 });
        Assert.Equal(["embedding.weight", "head.hidden.weight", "head.hidden.bias", "head.classifier.weight", "head.classifier.bias"],
            mlp.state_dict().Keys);
    }

    [Fact]
    public void EmbeddingHoldsTheMatrixWithZeroPaddingAndIsFrozenByDefault()
    {
        var matrix = Matrix();
        using var model = new PooledTextClassifier(matrix, 2);
        var weight = model.Embedding.weight!;
        Assert.Equal([10L, 4], weight.shape);
        Assert.Equal(matrix.Values, Values(weight));
        Assert.All(Values(weight)[..4], v => Assert.Equal(0f, v));
        Assert.False(weight.requires_grad);
        Assert.False(model.EmbeddingTrainable);
        model.EmbeddingTrainable = true;
        Assert.True(weight.requires_grad);
        using var fineTuned = new PooledTextClassifier(matrix, 2, new PooledTextClassifierOptions { FreezeEmbedding = false });
        Assert.True(fineTuned.Embedding.weight!.requires_grad);
    }

    [Fact]
    public void MeanPoolingIgnoresPaddingAndAveragesTheWords()
    {
        using var model = new PooledTextClassifier(Matrix(), 3);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var shortIds = Ids(new long[,] { { 2, 3, 9 }, { 5, 0, 0 } });
        var paddedIds = Ids(new long[,] { { 2, 3, 9, 0, 0, 0, 0 }, { 5, 0, 0, 0, 0, 0, 0 } });
        var logits = model.call(shortIds);
        Assert.Equal([2L, 3], logits.shape);
        Assert.Equal(Values(logits), Values(model.call(paddedIds)));

        // Pooled vector of the first text: the mean of rows 2, 3 and 9 (words w0, w1, w7).
        var pooled = model.Pool.call(model.Embedding.call(paddedIds), paddedIds.ne(0));
        float[] expected = [.. Enumerable.Range(0, 4).Select(c => ((0 + 1 + 7) * 0.1f + 3 * c * 0.01f) / 3)];
        Assert.Equal(expected, Values(pooled)[..4], (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(Values(model.Embedding.call(Ids(new long[,] { { 5 } })))[..4], Values(pooled)[4..]);
    }

    [Fact]
    public void MaxPoolingIgnoresPaddingEvenWhenAllValuesAreNegative()
    {
        // Every vector negative: a padding row (zeros) would win an unmasked maximum.
        using var model = new PooledTextClassifier(Matrix((w, c) => -1f - w - c), 2, new PooledTextClassifierOptions { Pooling = TextPooling.Max });
        model.eval();
        using var scope = torch.NewDisposeScope();
        var ids = Ids(new long[,] { { 2, 4, 0, 0 }, { 0, 0, 0, 0 } });
        var pooled = Values(model.Pool.call(model.Embedding.call(ids), ids.ne(0)));
        Assert.Equal([-1f, -2f, -3f, -4f], pooled[..4]); // w0 beats w2 in every column
        Assert.Equal([0f, 0f, 0f, 0f], pooled[4..]);      // an empty text pools to zeros
        Assert.Equal(Values(model.call(Ids(new long[,] { { 2, 4 } }))), Values(model.call(ids))[..2]);
    }

    [Fact]
    public void FrozenEmbeddingGetsNoGradientAndPaddingRowNeverDoes()
    {
        using var frozen = new PooledTextClassifier(Matrix(), 2);
        using var scope = torch.NewDisposeScope();
        var ids = Ids(new long[,] { { 2, 3, 0 } });
        frozen.call(ids).sum().backward();
        Assert.Null(frozen.Embedding.weight!.grad);
        Assert.NotNull(frozen.Head.parameters().First().grad);

        using var tuned = new PooledTextClassifier(Matrix(), 2, new PooledTextClassifierOptions { FreezeEmbedding = false });
        tuned.call(ids).sum().backward();
        var grad = Values(tuned.Embedding.weight!.grad!);
        Assert.All(grad[..4], g => Assert.Equal(0f, g));      // padding row
        Assert.Contains(grad[8..12], g => g != 0f);           // row 2 (w0) was used
    }

    [Fact]
    public void ConvModelFollowsKerasDesignWithNamedChildren()
    {
        using var model = new ConvTextClassifier(Matrix(), numClasses: 5);
        Assert.Equal(["embedding", "encoder", "pool", "head"], model.named_children().Select(c => c.name));
        Assert.Equal(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3"],
            model.Encoder.named_children().Select(c => c.name));
        Assert.Equal(["dense", "relu", "dropout", "classifier"], model.Head.named_children().Select(c => c.name));
        var shapes = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal([128L, 4, 5], shapes["encoder.conv1.weight"]);
        Assert.Equal([128L, 128, 5], shapes["encoder.conv3.weight"]);
        Assert.Equal([128L, 128], shapes["head.dense.weight"]);
        Assert.Equal([5L, 128], shapes["head.classifier.weight"]);
        Assert.Equal(149, model.MinimumLength);
    }

    [Fact]
    public void ConvEncoderShrinksTwoHundredTokensToThreePositionsAsInKerasExample()
    {
        using var model = new ConvTextClassifier(Matrix(), 2);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var ids = torch.randint(0, 10, [2, 200], dtype: ScalarType.Int64, generator: new Generator(1));
        // 200 → conv 196 → pool 39 → conv 35 → pool 7 → conv 3
        Assert.Equal([2L, 128, 3], model.Encoder.call(model.Embedding.call(ids).transpose(1, 2)).shape);
        Assert.Equal([2L, 2], model.call(ids).shape);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(148)]
    [InlineData(149)]
    public void ConvModelRunsOnShortTextsAsIfPaddedToTheMinimumLength(int length)
    {
        using var model = new ConvTextClassifier(Matrix(), 3);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var ids = torch.randint(1, 10, [2, length], dtype: ScalarType.Int64, generator: new Generator(7));
        var padded = nn.functional.pad(ids, [0, Math.Max(0, 149 - length)], PaddingModes.Constant, 0);
        var logits = model.call(ids);
        Assert.Equal([2L, 3], logits.shape);
        Assert.Equal(Values(model.call(padded)), Values(logits));
        Assert.All(Values(logits), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(200, 3)]
    [InlineData(149, 3)]
    [InlineData(148, 2)]
    [InlineData(29, 2)]
    [InlineData(28, 1)]
    [InlineData(1, 1)]
    public void BlocksForFitsTheStackToTheSequenceLength(int length, int blocks)
    {
        Assert.Equal(blocks, ConvTextClassifierOptions.BlocksFor(length));
        using var model = new ConvTextClassifier(Matrix(), 2, new ConvTextClassifierOptions { Blocks = blocks });
        Assert.True(model.MinimumLength <= Math.Max(length, 5));
    }

    [Fact]
    public void ArchitectureRoundTripsThroughMetadata()
    {
        using var conv = new ConvTextClassifier(Matrix(), 4, new ConvTextClassifierOptions { Filters = 16, Blocks = 2, DenseUnits = 8, Dropout = 0.3 });
        using var pooled = new PooledTextClassifier(Matrix(), 4, new PooledTextClassifierOptions { Pooling = TextPooling.Max, HiddenUnits = 7 });
        foreach (TextClassifier model in new TextClassifier[] { conv, pooled })
        {
            using var rebuilt = TextClassifier.FromMetadata(model.ToMetadata());
            Assert.Equal(model.GetType(), rebuilt.GetType());
            Assert.Equal(model.state_dict().Select(p => (p.Key, string.Join(",", p.Value.shape))),
                rebuilt.state_dict().Select(p => (p.Key, string.Join(",", p.Value.shape))));
        }
        Assert.Equal(conv.Options with { FreezeEmbedding = true }, ((ConvTextClassifier)TextClassifier.FromMetadata(conv.ToMetadata())).Options);
        var broken = new Dictionary<string, string>(conv.ToMetadata()) { ["text.model.kind"] = "rnn" };
        Assert.Contains("'text.model.kind' is 'rnn'", Assert.Throws<FormatException>(() => TextClassifier.FromMetadata(broken)).Message);
    }

    [Fact]
    public void ForwardLeavesNoTensorAliveButItsOutput()
    {
        using var pooled = new PooledTextClassifier(Matrix(), 3, new PooledTextClassifierOptions { Pooling = TextPooling.Max, HiddenUnits = 4 });
        using var conv = new ConvTextClassifier(Matrix(), 3, new ConvTextClassifierOptions { Filters = 8, DenseUnits = 4 });
        using var shortIds = Ids(new long[,] { { 2, 3, 0 } }); // padded inside the CNN's forward
        using var longIds = torch.ones(2, 160, dtype: ScalarType.Int64);
        foreach (TextClassifier model in new TextClassifier[] { pooled, conv })
        {
            foreach (var ids in new[] { shortIds, longIds })
            {
                model.call(ids).Dispose(); // warm-up
                long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                for (int i = 0; i < 10; i++) model.call(ids).Dispose();
                Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
                Assert.False(ids.IsInvalid); // the caller's input is never disposed
            }
        }
    }

    [Fact]
    public void LoadEmbeddingRejectsAWrongShape()
    {
        using var model = new PooledTextClassifier(10, 4, 2);
        using var wrong = torch.zeros(9, 4);
        Assert.Contains("[9, 4] do not fit [10, 4]", Assert.Throws<ArgumentException>(() => model.LoadEmbedding(wrong)).Message);
    }
}
