using Graft.Text;

namespace Graft.Tests.Text;

public class VocabularyTests
{
    // Frequencies: a 4, b 3, c 2, e 2, d 1, f 1 (ties c/e and d/f broken in ordinal order).
    private static readonly string[][] Texts = [["a", "b", "c", "a"], ["b", "a", "d", "e"], ["e", "f", "c", "a", "b"]];

    [Fact]
    public void OrdersByFrequencyThenOrdinalAfterTheReservedEntries()
    {
        var vocabulary = Vocabulary.Build(Texts);
        Assert.Equal(["<pad>", "<unk>", "a", "b", "c", "e", "d", "f"], vocabulary.Entries);
        Assert.Equal(2, vocabulary["a"]);
        Assert.Equal(7, vocabulary["f"]);
        Assert.Equal(Vocabulary.UnknownIndex, vocabulary["zzz"]);
        Assert.Equal(4, vocabulary.Frequency(2));
        Assert.Equal(13, vocabulary.TotalTokens);
        Assert.Equal(0, vocabulary.UnknownTokens);
    }

    [Fact]
    public void MinFrequencyDropsRareWordsAndCountsThemAsUnknown()
    {
        var vocabulary = Vocabulary.Build(Texts, new VocabularyOptions { MinFrequency = 2 });
        Assert.Equal(["a", "b", "c", "e"], vocabulary.Words);
        Assert.Equal(2, vocabulary.UnknownTokens); // d and f
        Assert.Equal(2, vocabulary.Frequency(Vocabulary.UnknownIndex));
    }

    [Fact]
    public void MaxWordsKeepsTheMostFrequentWithDeterministicTies()
    {
        var vocabulary = Vocabulary.Build(Texts, new VocabularyOptions { MaxWords = 3 });
        Assert.Equal(["a", "b", "c"], vocabulary.Words);
        Assert.Equal(5, vocabulary.Count);
        Assert.Equal(4, vocabulary.UnknownTokens); // e, e, d, f
        // The same counts in another order give the same vocabulary.
        var reversed = Vocabulary.Build(Texts.Reverse().Select(t => t.Reverse()), new VocabularyOptions { MaxWords = 3 });
        Assert.Equal(vocabulary.Entries, reversed.Entries);
    }

    [Fact]
    public void ReservedNamesInTextAreOrdinaryWords()
    {
        var vocabulary = Vocabulary.Build([["<pad>", "<unk>", "<pad>"]]);
        Assert.Equal(2, vocabulary["<pad>"]);
        Assert.Equal(3, vocabulary["<unk>"]);
    }

    [Fact]
    public void SerializesToAStringAndBack()
    {
        var vocabulary = Vocabulary.Build([["naïve", "\"quoted\"", "東京", "a\\b", "<pad>", "naïve"]], new VocabularyOptions { MaxWords = 4 });
        string text = vocabulary.Serialize();
        var copy = Vocabulary.Deserialize(text);
        Assert.Equal(vocabulary.Entries, copy.Entries);
        Assert.Equal(vocabulary.TotalTokens, copy.TotalTokens);
        Assert.Equal(vocabulary.UnknownTokens, copy.UnknownTokens);
        for (int i = 0; i < vocabulary.Count; i++) Assert.Equal(vocabulary.Frequency(i), copy.Frequency(i));
    }

    [Theory]
    [InlineData("not json", "not a valid serialized vocabulary")]
    [InlineData("{\"format\":\"other\"}", "\"format\": \"graft-vocabulary\"")]
    [InlineData("{\"format\":\"graft-vocabulary\",\"version\":2}", "version 2")]
    [InlineData("{\"format\":\"graft-vocabulary\",\"version\":1,\"total_tokens\":3,\"words\":[\"a\",\"a\"],\"counts\":[1,2]}", "'a' appears twice")]
    [InlineData("{\"format\":\"graft-vocabulary\",\"version\":1,\"total_tokens\":3,\"words\":[\"a\"],\"counts\":[]}", "1 words but 0 counts")]
    [InlineData("{\"format\":\"graft-vocabulary\",\"version\":1,\"words\":[]}", "no \"total_tokens\"")]
    public void RejectsWhatIsNotASerializedVocabulary(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => Vocabulary.Deserialize(text)).Message);

    [Fact]
    public void EncoderPadsAndTruncatesAtTheChosenEnds()
    {
        var tokenizer = new Tokenizer();
        var vocabulary = Vocabulary.FromWords(["a", "b", "c", "d", "e"]); // a=2 … e=6
        Assert.Equal([2L, 3, 1, 0, 0], new TextEncoder(tokenizer, vocabulary, 5).Encode("A b zzz"));
        Assert.Equal([0L, 0, 2, 3, 1], new TextEncoder(tokenizer, vocabulary, 5, padding: SequenceEnd.Start).Encode("a b zzz"));
        Assert.Equal([2L, 3, 4], new TextEncoder(tokenizer, vocabulary, 3).Encode("a b c d e"));
        Assert.Equal([4L, 5, 6], new TextEncoder(tokenizer, vocabulary, 3, truncation: SequenceEnd.Start).Encode("a b c d e"));
        Assert.Equal([0L, 0, 0], new TextEncoder(tokenizer, vocabulary, 3).Encode("!!"));
    }

    [Fact]
    public void EncoderMakesAnInt64TensorOfShapeTextsByLength()
    {
        var encoder = new TextEncoder(new Tokenizer(), Vocabulary.FromWords(["x", "y"]), 4);
        using var tensor = encoder.EncodeToTensor(["x y", "y", "q x y x y"]);
        Assert.Equal([3L, 4], tensor.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, tensor.dtype);
        Assert.Equal([2L, 3, 0, 0, 3, 0, 0, 0, 1, 2, 3, 2], tensor.data<long>().ToArray());
    }

    [Fact]
    public void EncoderRoundTripsThroughStringMetadata()
    {
        var tokenizer = new Tokenizer(new TokenizerOptions { Apostrophes = ApostropheHandling.SplitClitics, Punctuation = PunctuationHandling.Keep });
        var vocabulary = Vocabulary.Build(["Don't stop, don't!", "Stop it"], tokenizer);
        var encoder = new TextEncoder(tokenizer, vocabulary, 7, SequenceEnd.Start, SequenceEnd.Start);
        var metadata = encoder.ToMetadata();
        Assert.All(metadata.Values, Assert.NotNull);
        var copy = TextEncoder.FromMetadata(metadata);
        Assert.Equal(encoder.Tokenizer.Options, copy.Tokenizer.Options);
        Assert.Equal(encoder.Vocabulary.Entries, copy.Vocabulary.Entries);
        Assert.Equal((7, SequenceEnd.Start, SequenceEnd.Start), (copy.MaxLength, copy.Truncation, copy.Padding));
        Assert.Equal(encoder.Encode("don't stop it , new words"), copy.Encode("don't stop it , new words"));
    }

    [Fact]
    public void EncoderMetadataErrorsNameTheKey()
    {
        var encoder = new TextEncoder(new Tokenizer(), Vocabulary.FromWords(["x"]), 4);
        var metadata = new Dictionary<string, string>(encoder.ToMetadata()) { ["text.sequence.max_length"] = "-3" };
        Assert.Contains("'text.sequence.max_length' is '-3'", Assert.Throws<FormatException>(() => TextEncoder.FromMetadata(metadata)).Message);
        metadata.Remove(TextEncoder.VocabularyKey);
        Assert.Contains("text.vocabulary", Assert.Throws<FormatException>(() => TextEncoder.FromMetadata(metadata)).Message);
    }
}
