using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// Turns texts into fixed-length index sequences, the input of the text models: tokenize, look each token up
/// in the vocabulary (unknown → 1), cut to <see cref="MaxLength"/> and pad with 0. Everything needed to do the
/// same at prediction round-trips through <see cref="ToMetadata"/> / <see cref="FromMetadata"/>.
/// </summary>
public sealed class TextEncoder
{
    /// <summary>Prefix of the sequence settings' metadata keys.</summary>
    public const string MetadataPrefix = "text.sequence.";

    /// <summary>Metadata key of the serialized vocabulary.</summary>
    public const string VocabularyKey = "text.vocabulary";

    /// <summary>Creates an encoder.</summary>
    /// <param name="tokenizer">The tokenizer used to build <paramref name="vocabulary"/>.</param>
    /// <param name="vocabulary">The vocabulary.</param>
    /// <param name="maxLength">Sequence length: longer texts are cut, shorter ones padded (Keras' example uses 200).</param>
    /// <param name="truncation">Which end loses tokens when a text is too long (default: the end, keeping the beginning).</param>
    /// <param name="padding">Which end receives the padding (default: the end).</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="maxLength"/> is less than 1.</exception>
    public TextEncoder(Tokenizer tokenizer, Vocabulary vocabulary, int maxLength,
        SequenceEnd truncation = SequenceEnd.End, SequenceEnd padding = SequenceEnd.End)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        Tokenizer = tokenizer;
        Vocabulary = vocabulary;
        MaxLength = maxLength;
        Truncation = truncation;
        Padding = padding;
    }

    /// <summary>The tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>The vocabulary.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>Length of every encoded sequence.</summary>
    public int MaxLength { get; }

    /// <summary>The end that loses tokens when a text is longer than <see cref="MaxLength"/>.</summary>
    public SequenceEnd Truncation { get; }

    /// <summary>The end where padding goes.</summary>
    public SequenceEnd Padding { get; }

    /// <summary>Writes the <see cref="MaxLength"/> indices of <paramref name="text"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">When <paramref name="destination"/> is not <see cref="MaxLength"/> long.</exception>
    public void Encode(string text, Span<long> destination)
    {
        if (destination.Length != MaxLength)
            throw new ArgumentException($"destination holds {destination.Length} indices; expected {MaxLength}", nameof(destination));
        List<string> tokens = Tokenizer.Tokenize(text);
        int kept = Math.Min(tokens.Count, MaxLength);
        int firstToken = Truncation == SequenceEnd.Start ? tokens.Count - kept : 0;
        int firstSlot = Padding == SequenceEnd.Start ? MaxLength - kept : 0;
        destination.Clear(); // padding index 0
        for (int i = 0; i < kept; i++) destination[firstSlot + i] = Vocabulary[tokens[firstToken + i]];
    }

    /// <summary>The <see cref="MaxLength"/> indices of <paramref name="text"/>.</summary>
    public long[] Encode(string text)
    {
        var indices = new long[MaxLength];
        Encode(text, indices);
        return indices;
    }

    /// <summary>Row-major <c>[texts.Count, MaxLength]</c> indices of <paramref name="texts"/>.</summary>
    public long[] EncodeAll(IReadOnlyList<string> texts)
    {
        var indices = new long[(long)texts.Count * MaxLength];
        for (int i = 0; i < texts.Count; i++) Encode(texts[i], indices.AsSpan(i * MaxLength, MaxLength));
        return indices;
    }

    /// <summary>A new int64 tensor <c>[texts.Count, MaxLength]</c> of the indices of <paramref name="texts"/>
    /// (owned by the caller).</summary>
    public Tensor EncodeToTensor(IReadOnlyList<string> texts) =>
        torch.tensor(EncodeAll(texts), [texts.Count, MaxLength], ScalarType.Int64);

    /// <summary>
    /// Tokenizer settings, sequence settings and the serialized vocabulary as string pairs, for the saved
    /// model's <c>__metadata__</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>(Tokenizer.Options.ToMetadata())
        {
            [MetadataPrefix + "max_length"] = MetadataValues.Format(MaxLength),
            [MetadataPrefix + "truncation"] = Name(Truncation),
            [MetadataPrefix + "padding"] = Name(Padding),
            [VocabularyKey] = Vocabulary.Serialize(),
        };
        return metadata;
    }

    /// <summary>Rebuilds the encoder from <see cref="ToMetadata"/>'s pairs (other keys are ignored).</summary>
    /// <exception cref="FormatException">When a key is missing or a value invalid; the message names the key.</exception>
    public static TextEncoder FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        var tokenizer = new Tokenizer(TokenizerOptions.FromMetadata(metadata));
        var vocabulary = Vocabulary.Deserialize(MetadataValues.Required(metadata, VocabularyKey));
        int maxLength = MetadataValues.Int(metadata, MetadataPrefix + "max_length", minimum: 1);
        return new TextEncoder(tokenizer, vocabulary, maxLength,
            End(metadata, MetadataPrefix + "truncation"), End(metadata, MetadataPrefix + "padding"));
    }

    private static string Name(SequenceEnd end) => end == SequenceEnd.Start ? "start" : "end";

    private static SequenceEnd End(IReadOnlyDictionary<string, string> metadata, string key) =>
        MetadataValues.Choice(metadata, key, ("start", SequenceEnd.Start), ("end", SequenceEnd.End));
}
