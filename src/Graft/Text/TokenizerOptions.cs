namespace Graft.Text;

/// <summary>
/// The settings of a <see cref="Tokenizer"/>. A model must tokenize at prediction exactly as at training, so the
/// settings round-trip through <see cref="ToMetadata"/> / <see cref="FromMetadata"/> (string → string, as stored
/// in a safetensors header's <c>__metadata__</c>).
/// </summary>
public sealed record TokenizerOptions
{
    /// <summary>Prefix of the metadata keys.</summary>
    public const string MetadataPrefix = "text.tokenizer.";

    private const string FormatVersion = "1";

    /// <summary>The defaults: NFC-normalise, lowercase (invariant culture), drop punctuation, keep apostrophes inside
    /// words, keep <c>3.14</c> and <c>1,000</c> whole.</summary>
    public static TokenizerOptions Default { get; } = new();

    /// <summary>Lowercase with the invariant culture (default true). Set false for cased vectors such as word2vec's
    /// GoogleNews, so that <c>Paris</c> finds its vector.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Normalise to Unicode NFC first (default true), so a decomposed <c>e</c> + combining accent matches
    /// the precomposed <c>é</c> that vector files hold.</summary>
    public bool NormalizeUnicode { get; init; } = true;

    /// <summary>Drop punctuation and symbols (default) or keep each as a token.</summary>
    public PunctuationHandling Punctuation { get; init; } = PunctuationHandling.Drop;

    /// <summary>Keep apostrophes inside words (default) or split English clitics off.</summary>
    public ApostropheHandling Apostrophes { get; init; } = ApostropheHandling.KeepInWord;

    /// <summary>Keep a <c>.</c> or <c>,</c> between two digits inside the number (<c>3.14</c>, <c>1,000</c>);
    /// default true. False splits numbers at them.</summary>
    public bool JoinNumberSeparators { get; init; } = true;

    /// <summary>The settings as string pairs under <see cref="MetadataPrefix"/>.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [MetadataPrefix + "version"] = FormatVersion,
        [MetadataPrefix + "lowercase"] = Lowercase ? "true" : "false",
        [MetadataPrefix + "normalization"] = NormalizeUnicode ? "nfc" : "none",
        [MetadataPrefix + "punctuation"] = Punctuation == PunctuationHandling.Keep ? "keep" : "drop",
        [MetadataPrefix + "apostrophes"] = Apostrophes == ApostropheHandling.SplitClitics ? "split-clitics" : "keep-in-word",
        [MetadataPrefix + "number_separators"] = JoinNumberSeparators ? "join" : "split",
    };

    /// <summary>Reads settings written by <see cref="ToMetadata"/> (other keys are ignored).</summary>
    /// <exception cref="FormatException">When a key is missing or holds a value this version does not know.</exception>
    public static TokenizerOptions FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        string version = MetadataValues.Required(metadata, MetadataPrefix + "version");
        if (version != FormatVersion)
            throw new FormatException($"metadata '{MetadataPrefix}version' is '{version}'; this Graft reads tokenizer settings version {FormatVersion}");
        return new TokenizerOptions
        {
            Lowercase = MetadataValues.Choice(metadata, MetadataPrefix + "lowercase", ("true", true), ("false", false)),
            NormalizeUnicode = MetadataValues.Choice(metadata, MetadataPrefix + "normalization", ("nfc", true), ("none", false)),
            Punctuation = MetadataValues.Choice(metadata, MetadataPrefix + "punctuation", ("drop", PunctuationHandling.Drop), ("keep", PunctuationHandling.Keep)),
            Apostrophes = MetadataValues.Choice(metadata, MetadataPrefix + "apostrophes",
                ("keep-in-word", ApostropheHandling.KeepInWord), ("split-clitics", ApostropheHandling.SplitClitics)),
            JoinNumberSeparators = MetadataValues.Choice(metadata, MetadataPrefix + "number_separators", ("join", true), ("split", false)),
        };
    }
}
