using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// Word vectors pooled over the text, then a dense head: children <c>embedding</c> → <c>pool</c>
/// (<see cref="MaskedPooling"/>, padding excluded) → <c>head</c> (<c>dropout</c> + <c>classifier</c>, or
/// <c>hidden</c> + <c>relu</c> + <c>dropout</c> + <c>classifier</c>). A strong, fast baseline for short texts.
/// </summary>
public sealed class PooledTextClassifier : TextClassifier
{
    internal const string KindName = "pooled";

    /// <summary>An untrained model of the given sizes (e.g. to load saved weights into).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size or the dropout is out of range.</exception>
    public PooledTextClassifier(long vocabularySize, long embeddingDim, int numClasses, PooledTextClassifierOptions? options = null)
        : base(nameof(PooledTextClassifier), vocabularySize, embeddingDim, numClasses)
    {
        Options = options ?? new PooledTextClassifierOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.HiddenUnits);
        if (!(Options.Dropout is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(options), Options.Dropout, "Dropout must be in [0, 1).");
        Pool = new MaskedPooling(Options.Pooling);
        register_module("pool", Pool);
        Head = Options.HiddenUnits == 0
            ? nn.Sequential(
                ("dropout", nn.Dropout(Options.Dropout)),
                ("classifier", nn.Linear(embeddingDim, numClasses)))
            : nn.Sequential(
                ("hidden", nn.Linear(embeddingDim, Options.HiddenUnits)),
                ("relu", nn.ReLU()),
                ("dropout", nn.Dropout(Options.Dropout)),
                ("classifier", nn.Linear(Options.HiddenUnits, numClasses)));
        register_module("head", Head);
        EmbeddingTrainable = !Options.FreezeEmbedding;
    }

    /// <summary>A model whose embedding holds <paramref name="matrix"/>.</summary>
    public PooledTextClassifier(EmbeddingMatrix matrix, int numClasses, PooledTextClassifierOptions? options = null)
        : this(matrix.Rows, matrix.Dimension, numClasses, options) => LoadEmbedding(matrix);

    /// <summary>The settings.</summary>
    public PooledTextClassifierOptions Options { get; }

    /// <summary>The pooling (child <c>pool</c>).</summary>
    public MaskedPooling Pool { get; }

    /// <summary>The dense head (child <c>head</c>).</summary>
    public Sequential Head { get; }

    /// <summary>Logits <c>[B, classes]</c> of indices <c>[B, L]</c>.</summary>
    public override Tensor forward(Tensor indices)
    {
        using var scope = torch.NewDisposeScope();
        var mask = indices.ne(Vocabulary.PaddingIndex);
        var pooled = Pool.call(Embedding.call(indices), mask);
        return Head.call(pooled).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <inheritdoc/>
    protected override void AddArchitecture(Dictionary<string, string> metadata) => Options.AddTo(metadata);
}
