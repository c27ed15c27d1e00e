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
