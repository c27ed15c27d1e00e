using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// The 1-D convolutional classifier of Keras' example "Using pre-trained word embeddings" (frozen GloVe, 20
/// Newsgroups): children <c>embedding</c> → <c>encoder</c> (<c>conv1 relu1 pool1 conv2 relu2 pool2 conv3 relu3</c>:
/// Conv1D 128 k=5 valid + ReLU, MaxPool 5 between) → <c>pool</c> (global max) → <c>head</c> (<c>dense</c> 128 +
/// <c>relu</c> + <c>dropout</c> 0.5 + <c>classifier</c>); logits, no softmax. Inputs shorter than
/// <see cref="TextClassifier.MinimumLength"/> are padded with index 0 (a zero vector) inside <c>forward</c>, so no
/// pooling ever shrinks a sequence below one position; use <see cref="ConvTextClassifierOptions.BlocksFor"/> for
/// short texts.
/// </summary>
public sealed class ConvTextClassifier : TextClassifier
{
    internal const string KindName = "cnn";

    /// <summary>An untrained model of the given sizes (e.g. to load saved weights into).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a setting is out of range.</exception>
    public ConvTextClassifier(long vocabularySize, long embeddingDim, int numClasses, ConvTextClassifierOptions? options = null)
        : base(nameof(ConvTextClassifier), vocabularySize, embeddingDim, numClasses)
    {
        Options = options ?? new ConvTextClassifierOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.KernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.PoolSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Blocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.DenseUnits, 1);
        if (!(Options.Dropout is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(options), Options.Dropout, "Dropout must be in [0, 1).");

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int block = 1; block <= Options.Blocks; block++)
        {
            if (block > 1) layers.Add(($"pool{block - 1}", nn.MaxPool1d(Options.PoolSize)));
            layers.Add(($"conv{block}", nn.Conv1d(block == 1 ? embeddingDim : Options.Filters, Options.Filters, Options.KernelSize)));
            layers.Add(($"relu{block}", nn.ReLU()));
        }
        Encoder = nn.Sequential(layers);
        register_module("encoder", Encoder);
        Pool = new GlobalMaxPooling1d();
        register_module("pool", Pool);
        Head = nn.Sequential(
            ("dense", nn.Linear(Options.Filters, Options.DenseUnits)),
            ("relu", nn.ReLU()),
            ("dropout", nn.Dropout(Options.Dropout)),
            ("classifier", nn.Linear(Options.DenseUnits, numClasses)));
        register_module("head", Head);
        EmbeddingTrainable = !Options.FreezeEmbedding;
    }

    /// <summary>A model whose embedding holds <paramref name="matrix"/>.</summary>
    public ConvTextClassifier(EmbeddingMatrix matrix, int numClasses, ConvTextClassifierOptions? options = null)
        : this(matrix.Rows, matrix.Dimension, numClasses, options) => LoadEmbedding(matrix);

    /// <summary>The settings.</summary>
    public ConvTextClassifierOptions Options { get; }

    /// <summary>The convolution stack (child <c>encoder</c>), channels-first <c>[B, D, L]</c> → <c>[B, Filters, L']</c>.</summary>
    public Sequential Encoder { get; }

    /// <summary>Global max pooling over positions (child <c>pool</c>).</summary>
    public GlobalMaxPooling1d Pool { get; }

    /// <summary>The dense head (child <c>head</c>).</summary>
    public Sequential Head { get; }

    /// <inheritdoc/>
    public override int MinimumLength => Options.MinimumLength;

    /// <summary>Logits <c>[B, classes]</c> of indices <c>[B, L]</c>.</summary>
    public override Tensor forward(Tensor indices)
    {
        using var scope = torch.NewDisposeScope();
        long length = indices.shape[^1];
        if (length < MinimumLength)
            indices = nn.functional.pad(indices, [0, MinimumLength - length], PaddingModes.Constant, Vocabulary.PaddingIndex);
        var embedded = Embedding.call(indices).transpose(1, 2); // [B, D, L]: Conv1d is channels-first
        var features = Pool.call(Encoder.call(embedded));
        return Head.call(features).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <inheritdoc/>
    protected override void AddArchitecture(Dictionary<string, string> metadata) => Options.AddTo(metadata);
}
