namespace Graft.Text;

/// <summary>Settings of a <see cref="PooledTextClassifier"/>.</summary>
public sealed record PooledTextClassifierOptions
{
    /// <summary>Mean (default) or max pooling of the word vectors, padding excluded.</summary>
    public TextPooling Pooling { get; init; } = TextPooling.Mean;

    /// <summary>0 (default): the head is dropout + one linear layer. Otherwise a hidden layer of this many ReLU units
    /// first.</summary>
    public int HiddenUnits { get; init; }

    /// <summary>Dropout probability before the output layer.</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Keep the pretrained embedding frozen (default: feature extraction).</summary>
    public bool FreezeEmbedding { get; init; } = true;

    internal void AddTo(Dictionary<string, string> metadata)
    {
        metadata[TextClassifier.MetadataPrefix + "pooling"] = Pooling == TextPooling.Max ? "max" : "mean";
        metadata[TextClassifier.MetadataPrefix + "hidden_units"] = MetadataValues.Format(HiddenUnits);
        metadata[TextClassifier.MetadataPrefix + "dropout"] = MetadataValues.Format(Dropout);
    }

    internal static PooledTextClassifierOptions FromMetadata(IReadOnlyDictionary<string, string> metadata) => new()
    {
        Pooling = MetadataValues.Choice(metadata, TextClassifier.MetadataPrefix + "pooling", ("mean", TextPooling.Mean), ("max", TextPooling.Max)),
        HiddenUnits = MetadataValues.Int(metadata, TextClassifier.MetadataPrefix + "hidden_units", minimum: 0),
        Dropout = MetadataValues.Double(metadata, TextClassifier.MetadataPrefix + "dropout", 0, 1),
    };
}
