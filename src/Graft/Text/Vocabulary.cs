using System.Text;
using System.Text.Json;

namespace Graft.Text;

/// <summary>
/// The words a text model knows, each with an index: 0 is padding, 1 is every word outside the vocabulary, and
/// words follow from 2 by decreasing training frequency (ties in ordinal order), so the order is reproducible.
/// Serialises to a string for the saved model's metadata.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>Index of the padding entry; an embedding's row 0 stays zero.</summary>
    public const int PaddingIndex = 0;

    /// <summary>Index that every out-of-vocabulary word maps to.</summary>
    public const int UnknownIndex = 1;

    /// <summary>Display name of the padding entry (not a word: a text containing it gets a word index of its own).</summary>
    public const string PaddingToken = "<pad>";

    /// <summary>Display name of the out-of-vocabulary entry (not a word, as <see cref="PaddingToken"/>).</summary>
    public const string UnknownToken = "<unk>";

    private const string FormatName = "graft-vocabulary";
    private const int FormatVersion = 1;

    private readonly string[] _entries;
    private readonly long[] _counts;
    private readonly Dictionary<string, int> _index;

    private Vocabulary(string[] words, long[] counts, long totalTokens)
    {
        _entries = [PaddingToken, UnknownToken, .. words];
        _counts = [0, 0, .. counts];
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
            if (!_index.TryAdd(words[i], i + 2))
                throw new ArgumentException($"word '{words[i]}' appears twice in the vocabulary", nameof(words));
        TotalTokens = totalTokens;
        long known = counts.Sum();
        UnknownTokens = Math.Max(0, totalTokens - known);
        _counts[UnknownIndex] = UnknownTokens;
    }

    /// <summary>A vocabulary of <paramref name="words"/> in the given order (indices from 2), without counts.</summary>
    /// <exception cref="ArgumentException">When a word repeats.</exception>
    public static Vocabulary FromWords(IEnumerable<string> words)
    {
        string[] list = [.. words];
        return new Vocabulary(list, new long[list.Length], 0);
    }

    /// <summary>Counts the words of tokenized training texts and keeps those passing <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a cap is not positive.</exception>
    public static Vocabulary Build(IEnumerable<IEnumerable<string>> tokenizedTexts, VocabularyOptions? options = null)
    {
        options ??= new VocabularyOptions();
        if (options.MinFrequency < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MinFrequency, "MinFrequency must be at least 1.");
        if (options.MaxWords is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxWords, "MaxWords must be at least 0.");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var text in tokenizedTexts)
        {
            foreach (string token in text)
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
                total++;
            }
        }
        var kept = counts.Where(p => p.Value >= options.MinFrequency)
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(options.MaxWords ?? int.MaxValue)
            .ToArray();
        return new Vocabulary(kept.Select(p => p.Key).ToArray(), kept.Select(p => p.Value).ToArray(), total);
    }

    /// <summary>Tokenizes <paramref name="texts"/> and builds the vocabulary from their tokens.</summary>
    public static Vocabulary Build(IEnumerable<string> texts, Tokenizer tokenizer, VocabularyOptions? options = null) =>
        Build(texts.Select(t => (IEnumerable<string>)tokenizer.Tokenize(t)), options);

    /// <summary>Entries including the two reserved ones.</summary>
    public int Count => _entries.Length;

    /// <summary>Words (index ≥ 2) only.</summary>
    public int WordCount => _entries.Length - 2;

    /// <summary>Every entry by index: <see cref="PaddingToken"/>, <see cref="UnknownToken"/>, then the words.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>The words only, by decreasing frequency (index = position + 2).</summary>
    public IReadOnlyList<string> Words => new ArraySegment<string>(_entries, 2, _entries.Length - 2);

    /// <summary>Training tokens counted when the vocabulary was built, including those it left out.</summary>
    public long TotalTokens { get; }

    /// <summary>Training tokens that map to <see cref="UnknownIndex"/> (words cut by the caps).</summary>
    public long UnknownTokens { get; }

    /// <summary>The index of <paramref name="word"/>, or <see cref="UnknownIndex"/> when it is not in the vocabulary.</summary>
    public int this[string word] => _index.TryGetValue(word, out int index) ? index : UnknownIndex;

    /// <summary>Whether <paramref name="word"/> has an index of its own.</summary>
    public bool Contains(string word) => _index.ContainsKey(word);

    /// <summary>How often entry <paramref name="index"/> occurred in the training texts (for <see cref="UnknownIndex"/>:
    /// the tokens left out; 0 for padding, and for vocabularies built without counts).</summary>
    public long Frequency(int index) => _counts[index];

    /// <summary>The indices of <paramref name="tokens"/>, unknown words as <see cref="UnknownIndex"/>, no padding.</summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        var indices = new int[tokens.Count];
        for (int i = 0; i < indices.Length; i++) indices[i] = this[tokens[i]];
        return indices;
    }

    /// <summary>The vocabulary as a JSON string (words, counts, token total), for the saved model's metadata.</summary>
    public string Serialize()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("version", FormatVersion);
            json.WriteNumber("total_tokens", TotalTokens);
            json.WriteStartArray("words");
            foreach (string word in Words) json.WriteStringValue(word);
            json.WriteEndArray();
            json.WriteStartArray("counts");
            for (int i = 2; i < _counts.Length; i++) json.WriteNumberValue(_counts[i]);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a vocabulary written by <see cref="Serialize"/>.</summary>
    /// <exception cref="FormatException">When the text is not such a vocabulary (the message says what is wrong).</exception>
    public static Vocabulary Deserialize(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != FormatName)
                throw new FormatException($"not a serialized vocabulary: expected a JSON object with \"format\": \"{FormatName}\"");
            int version = Property(root, "version").GetInt32();
            if (version != FormatVersion)
                throw new FormatException($"vocabulary format version {version}; this Graft reads version {FormatVersion}");
            long total = Property(root, "total_tokens").GetInt64();
            string[] words = [.. Property(root, "words").EnumerateArray().Select(w => w.GetString()
                ?? throw new FormatException("the vocabulary's \"words\" holds a null"))];
            long[] counts = [.. Property(root, "counts").EnumerateArray().Select(c => c.GetInt64())];
            if (counts.Length != words.Length)
                throw new FormatException($"the vocabulary holds {words.Length} words but {counts.Length} counts");
            return new Vocabulary(words, counts, total);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"not a valid serialized vocabulary: {e.Message}", e);
        }
    }

    private static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new FormatException($"the vocabulary has no \"{name}\"");
}
