using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>Settings of a <see cref="ConvTextClassifier"/>; the defaults are Keras' example's.</summary>
public sealed record ConvTextClassifierOptions
{
    /// <summary>Filters of every convolution (128).</summary>
    public int Filters { get; init; } = 128;

    /// <summary>Kernel size of every convolution (5).</summary>
    public int KernelSize { get; init; } = 5;

    /// <summary>Window and stride of the max pooling between convolutions (5).</summary>
    public int PoolSize { get; init; } = 5;

    /// <summary>Convolutions (3), with a max pooling between each two; see <see cref="BlocksFor"/> for short texts.</summary>
    public int Blocks { get; init; } = 3;

    /// <summary>Units of the dense layer before the classifier (128).</summary>
    public int DenseUnits { get; init; } = 128;

    /// <summary>Dropout probability after the dense layer (0.5).</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Keep the pretrained embedding frozen (default, as in Keras' example).</summary>
    public bool FreezeEmbedding { get; init; } = true;

    /// <summary>
    /// Shortest input the stack runs on without padding: each valid convolution needs <see cref="KernelSize"/>
    /// positions and each pooling divides by <see cref="PoolSize"/> (149 for the defaults).
    /// </summary>
    public int MinimumLength
    {
        get
        {
            long length = KernelSize;
            for (int block = 1; block < Blocks; block++) length = length * PoolSize + KernelSize - 1;
            return (int)Math.Min(length, int.MaxValue);
        }
    }

    /// <summary>
    /// The most blocks, up to 3, whose <see cref="MinimumLength"/> fits <paramref name="sequenceLength"/>, so short
    /// texts (tweets, titles) are not mostly padding: 3 blocks from 149 tokens, 2 from 29, 1 below.
    /// </summary>
    public static int BlocksFor(int sequenceLength, int kernelSize = 5, int poolSize = 5)
    {
        for (int blocks = 3; blocks > 1; blocks--)
            if (new ConvTextClassifierOptions { Blocks = blocks, KernelSize = kernelSize, PoolSize = poolSize }.MinimumLength <= sequenceLength)
                return blocks;
        return 1;
    }

    internal void AddTo(Dictionary<string, string> metadata)
    {
        string p = TextClassifier.MetadataPrefix;
        metadata[p + "filters"] = MetadataValues.Format(Filters);
        metadata[p + "kernel_size"] = MetadataValues.Format(KernelSize);
        metadata[p + "pool_size"] = MetadataValues.Format(PoolSize);
        metadata[p + "blocks"] = MetadataValues.Format(Blocks);
        metadata[p + "dense_units"] = MetadataValues.Format(DenseUnits);
        metadata[p + "dropout"] = MetadataValues.Format(Dropout);
    }

    internal static ConvTextClassifierOptions FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        string p = TextClassifier.MetadataPrefix;
        return new ConvTextClassifierOptions
        {
            Filters = MetadataValues.Int(metadata, p + "filters", minimum: 1),
            KernelSize = MetadataValues.Int(metadata, p + "kernel_size", minimum: 1),
            PoolSize = MetadataValues.Int(metadata, p + "pool_size", minimum: 1),
            Blocks = MetadataValues.Int(metadata, p + "blocks", minimum: 1),
            DenseUnits = MetadataValues.Int(metadata, p + "dense_units", minimum: 1),
            Dropout = MetadataValues.Double(metadata, p + "dropout", 0, 1),
        };
    }
}

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
