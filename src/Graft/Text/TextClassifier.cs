using Graft.Layers;
using Graft.Training.Strategies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// A text classifier over a word-embedding base: input int64 indices <c>[B, L]</c> (0 = padding), output logits
/// <c>[B, classes]</c>. Its first child, <c>embedding</c>, is an <c>nn.Embedding</c> (padding index 0) whose weight
/// is the pretrained matrix; the other children follow in forward order, so a layer view over the top-level
/// children reads like Keras' layer list. Frozen embedding (default) = feature extraction; unfrozen = fine-tuning.
/// </summary>
/// <remarks>
/// As a <see cref="ITransferModel"/>, the embedding is the base and every layer after it is the head, so the
/// learner's strategies apply unchanged: feature extraction trains everything but the embedding, fine-tuning then
/// unfreezes the embedding at a lower learning rate, and scratch re-draws every weight (the embedding as
/// <c>nn.Embedding</c> does, the padding row kept zero).
/// </remarks>
public abstract class TextClassifier : nn.Module<Tensor, Tensor>, ITransferModel, IReinitializable
{
    /// <summary>Prefix of the architecture's metadata keys.</summary>
    public const string MetadataPrefix = "text.model.";

    /// <summary>Creates the embedding child; subclasses register theirs after it, in forward order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is too small (the vocabulary needs its two reserved rows).</exception>
    protected TextClassifier(string name, long vocabularySize, long embeddingDim, int numClasses) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        VocabularySize = vocabularySize;
        EmbeddingDim = embeddingDim;
        NumClasses = numClasses;
        Embedding = nn.Embedding(vocabularySize, embeddingDim, padding_idx: Vocabulary.PaddingIndex);
        register_module("embedding", Embedding);
    }

    /// <summary>The embedding layer (child <c>embedding</c>, weight <c>[VocabularySize, EmbeddingDim]</c>).</summary>
    public Embedding Embedding { get; }

    /// <summary>Rows of the embedding: the vocabulary's <see cref="Vocabulary.Count"/>.</summary>
    public long VocabularySize { get; }

    /// <summary>Length of the word vectors.</summary>
    public long EmbeddingDim { get; }

    /// <summary>Number of classes (logits per text).</summary>
    public int NumClasses { get; }

    /// <summary>Shortest input the model runs on as is; shorter inputs are padded to it inside <c>forward</c>.</summary>
    public virtual int MinimumLength => 1;

    /// <summary>Whether the embedding's weight is updated by training (<c>requires_grad</c>).</summary>
    public bool EmbeddingTrainable
    {
        get => Trainability.IsTrainable(Embedding);
        set => Trainability.SetTrainable(Embedding, value);
    }

    /// <summary>The top-level layers in forward order: <c>embedding</c> first, then the architecture's own.</summary>
    public LayerList Layers => new(named_children().Select(c => new Layer(c.name, c.module)));

    /// <summary>The pretrained part: the embedding alone.</summary>
    public LayerList BaseLayers => Layers[..1];

    /// <summary>Every layer after the embedding (new, randomly initialised).</summary>
    public LayerList HeadLayers => Layers[1..];

    /// <summary>Re-draws every weight as a new model would have it: the embedding from N(0, 1) like
    /// <c>nn.Embedding</c>, with the padding row zero; the other layers by <see cref="Reinitialization"/>.</summary>
    public void ResetParameters()
    {
        using (torch.no_grad())
        {
            var weight = Embedding.weight!;
            nn.init.normal_(weight);
            using var paddingRow = weight[Vocabulary.PaddingIndex];
            paddingRow.zero_();
        }
        foreach (var layer in HeadLayers) Reinitialization.Reset(layer.Module);
    }

    /// <summary>Copies <paramref name="matrix"/> into the embedding's weight.</summary>
    /// <exception cref="ArgumentException">When the matrix's shape differs from the embedding's.</exception>
    public void LoadEmbedding(EmbeddingMatrix matrix)
    {
        using var weights = matrix.ToTensor();
        LoadEmbedding(weights);
    }

    /// <summary>Copies <paramref name="weights"/> <c>[VocabularySize, EmbeddingDim]</c> into the embedding's weight and
    /// zeroes the padding row. The caller keeps ownership of <paramref name="weights"/>.</summary>
    /// <exception cref="ArgumentException">When the shape differs from the embedding's.</exception>
    public void LoadEmbedding(Tensor weights)
    {
        if (weights.ndim != 2 || weights.shape[0] != VocabularySize || weights.shape[1] != EmbeddingDim)
            throw new ArgumentException(
                $"embedding weights of shape [{string.Join(", ", weights.shape)}] do not fit [{VocabularySize}, {EmbeddingDim}]", nameof(weights));
        using var noGrad = torch.no_grad();
        var weight = Embedding.weight!;
        weight.copy_(weights);
        using var paddingRow = weight[Vocabulary.PaddingIndex];
        paddingRow.zero_();
    }

    /// <summary>The architecture as string pairs (kind, sizes, settings), enough for <see cref="FromMetadata"/> to
    /// rebuild an untrained model of the same shape before its weights are loaded.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            [MetadataPrefix + "kind"] = Kind,
            [MetadataPrefix + "vocabulary_size"] = MetadataValues.Format(VocabularySize),
            [MetadataPrefix + "embedding_dim"] = MetadataValues.Format(EmbeddingDim),
            [MetadataPrefix + "classes"] = MetadataValues.Format(NumClasses),
        };
        AddArchitecture(metadata);
        return metadata;
    }

    /// <summary>Rebuilds the architecture written by <see cref="ToMetadata"/> (untrained; the embedding frozen).</summary>
    /// <exception cref="FormatException">When a key is missing or a value invalid; the message names the key.</exception>
    public static TextClassifier FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        int vocabularySize = MetadataValues.Int(metadata, MetadataPrefix + "vocabulary_size", minimum: 2);
        int embeddingDim = MetadataValues.Int(metadata, MetadataPrefix + "embedding_dim", minimum: 1);
        int classes = MetadataValues.Int(metadata, MetadataPrefix + "classes", minimum: 1);
        return MetadataValues.Choice(metadata, MetadataPrefix + "kind", (PooledTextClassifier.KindName, 0), (ConvTextClassifier.KindName, 1)) switch
        {
            0 => new PooledTextClassifier(vocabularySize, embeddingDim, classes, PooledTextClassifierOptions.FromMetadata(metadata)),
            _ => new ConvTextClassifier(vocabularySize, embeddingDim, classes, ConvTextClassifierOptions.FromMetadata(metadata)),
        };
    }

    /// <summary>The architecture's name in metadata.</summary>
    protected abstract string Kind { get; }

    /// <summary>Adds the subclass's settings to <paramref name="metadata"/>.</summary>
    protected abstract void AddArchitecture(Dictionary<string, string> metadata);

    /// <summary>The children are registered explicitly, in forward order, by the constructors.</summary>
    protected override void RegisterComponents()
    {
    }
}
