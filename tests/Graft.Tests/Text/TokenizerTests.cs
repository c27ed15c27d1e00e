using Graft.Text;

namespace Graft.Tests.Text;

public class TokenizerTests
{
    private static List<string> Tokens(string text, TokenizerOptions? options = null) => new Tokenizer(options).Tokenize(text);

    [Fact]
    public void SplitsUnicodeWordsLowercasedWithApostrophesInside() =>
        Assert.Equal(["café", "ünïcode", "東京", "don't"], Tokens("Café Ünïcode 東京 don't"));

    [Fact]
    public void NormalizesDecomposedAccentsToPrecomposed() =>
        Assert.Equal(["café"], Tokens("Cafe\u0301")); // e + combining acute → é (U+00E9)

    [Fact]
    public void KeepsCombiningMarksOfIndicScriptsInsideWords() =>
        Assert.Equal(["नमस्ते", "दुनिया"], Tokens("नमस्ते, दुनिया!"));

    [Fact]
    public void CurlyAndModifierApostrophesBecomeAscii() =>
        Assert.Equal(["don't", "o'clock"], Tokens("Don’t o\u02BCclock"));

    [Fact]
    public void QuotesAroundWordsAreNotPartOfThem() =>
        Assert.Equal(["quoted", "james"], Tokens("'quoted' James'"));

    [Fact]
    public void DropsPunctuationAndSymbolsByDefault() =>
        Assert.Equal(["hello", "world", "a", "b", "good"], Tokens("Hello, world! (a-b) good 👍 #"));

    [Fact]
    public void KeepsPunctuationAndSymbolsAsTokensWhenAsked() =>
        Assert.Equal(["hello", ",", "world", "!", "(", "a", "-", "b", ")", "👍"],
            Tokens("Hello, world! (a-b) 👍", new TokenizerOptions { Punctuation = PunctuationHandling.Keep }));

    [Fact]
    public void KeepsDecimalAndThousandsSeparatorsInsideNumbers() =>
        Assert.Equal(["pi", "is", "3.14", "not", "1,000", "2"], Tokens("Pi is 3.14, not 1,000. 2."));

    [Fact]
    public void SplitsNumbersAtSeparatorsWhenAsked() =>
        Assert.Equal(["3", "14"], Tokens("3.14", new TokenizerOptions { JoinNumberSeparators = false }));

    [Fact]
    public void SplitsEnglishCliticsPennTreebankStyleWhenAsked() =>
        Assert.Equal(["do", "n't", "you", "'re", "john", "'s", "ca", "n't", "o'clock", "i", "'m"],
            Tokens("Don't you're John's can't o'clock I'm",
                new TokenizerOptions { Apostrophes = ApostropheHandling.SplitClitics }));

    [Fact]
    public void KeepsCaseWhenAsked() =>
        Assert.Equal(["Paris", "DON'T"], Tokens("Paris DON'T", new TokenizerOptions { Lowercase = false }));

    [Fact]
    public void RemovesInvisibleFormatCharactersWithoutSplitting() =>
        Assert.Equal(["cooperate", "ab"], Tokens("co\u00ADoperate a\u200Bb"));

    [Fact]
    public void SeparatesOnAnyWhitespaceAndControlCharacters() =>
        Assert.Equal(["a", "b", "c", "d", "e"], Tokens(" a\tb\nc\u00A0d\u3000e\r\n"));

    [Fact]
    public void EmptyAndPunctuationOnlyTextsHaveNoTokens()
    {
        Assert.Empty(Tokens(""));
        Assert.Empty(Tokens(" ... !!! "));
    }

    [Fact]
    public void IsDeterministicAndIndependentOfTheCurrentCulture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("tr-TR");
            // Turkish culture lowercases I to dotless ı; the invariant culture gives i, and İ follows Unicode's
            // simple lowercase mapping to i.
            Assert.Equal(["istanbul", "izmir"], Tokens("ISTANBUL İzmir"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void OptionsRoundTripThroughStringMetadata()
    {
        var options = new TokenizerOptions
        {
            Lowercase = false,
            NormalizeUnicode = false,
            Punctuation = PunctuationHandling.Keep,
            Apostrophes = ApostropheHandling.SplitClitics,
            JoinNumberSeparators = false,
        };
        var metadata = options.ToMetadata();
        Assert.All(metadata.Keys, k => Assert.StartsWith(TokenizerOptions.MetadataPrefix, k));
        Assert.Equal(options, TokenizerOptions.FromMetadata(metadata));
        Assert.Equal(TokenizerOptions.Default, TokenizerOptions.FromMetadata(TokenizerOptions.Default.ToMetadata()));
    }

    [Fact]
    public void MetadataErrorsNameTheKey()
    {
        var metadata = new Dictionary<string, string>(TokenizerOptions.Default.ToMetadata());
        metadata["text.tokenizer.punctuation"] = "strip";
        var error = Assert.Throws<FormatException>(() => TokenizerOptions.FromMetadata(metadata));
        Assert.Contains("'text.tokenizer.punctuation' is 'strip'", error.Message);
        Assert.Contains("'keep'", error.Message);
        metadata.Remove("text.tokenizer.lowercase");
        Assert.Contains("text.tokenizer.lowercase", Assert.Throws<FormatException>(() => TokenizerOptions.FromMetadata(metadata)).Message);
    }
}
