using System.Globalization;
using System.Text;

namespace Graft.Text;

/// <summary>
/// Splits text into word tokens the same way at training and at prediction, in any script. A word is a run of
/// letters, combining marks and digits (<c>café</c>, <c>東京</c>, <c>नमस्ते</c>, <c>42</c>); an apostrophe
/// between two word characters stays inside the word (normalised to <c>'</c>); a <c>.</c> or <c>,</c> between
/// two digits stays inside the number; invisible format characters (soft hyphen, zero-width joiners) are
/// removed without splitting; whitespace separates; punctuation and symbols separate and are dropped or kept
/// as tokens (<see cref="TokenizerOptions.Punctuation"/>). Scripts written without spaces (Chinese, Japanese,
/// Thai) are not segmented: a run of their characters is one token. Deterministic and culture-independent.
/// </summary>
public sealed class Tokenizer
{
    private static readonly string[] TwoLetterClitics = ["'s", "'m", "'d"];
    private static readonly string[] ThreeLetterClitics = ["n't", "'ll", "'re", "'ve"];

    /// <summary>A tokenizer with <paramref name="options"/> (<see cref="TokenizerOptions.Default"/> when null).</summary>
    public Tokenizer(TokenizerOptions? options = null) => Options = options ?? TokenizerOptions.Default;

    /// <summary>The settings; store them with the model (<see cref="TokenizerOptions.ToMetadata"/>).</summary>
    public TokenizerOptions Options { get; }

    /// <summary>The tokens of <paramref name="text"/>, in order.</summary>
    public List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="tokens"/>.</summary>
    public void Tokenize(string text, List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Options.NormalizeUnicode && !text.IsNormalized(NormalizationForm.FormC)) text = text.Normalize(NormalizationForm.FormC);
        // .NET's invariant lowercasing leaves İ (U+0130) as is; Unicode's simple lowercase mapping gives i.
        if (Options.Lowercase) text = text.ToLowerInvariant().Replace('\u0130', 'i');

        var word = new StringBuilder();
        bool lastWasDigit = false;
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf16(rest, out Rune rune, out int length);
            ReadOnlySpan<char> current = rest[..length], next = rest[length..];
            rest = next;
            switch (Classify(rune))
            {
                case Kind.Word:
                    word.Append(current);
                    lastWasDigit = Rune.IsDigit(rune);
                    continue;
                case Kind.Invisible:
                    continue;
                case Kind.Apostrophe when word.Length > 0 && StartsWithWordCharacter(next):
                    word.Append('\'');
                    lastWasDigit = false;
                    continue;
                case Kind.NumberSeparator when Options.JoinNumberSeparators && lastWasDigit && StartsWithDigit(next):
                    word.Append((char)rune.Value);
                    lastWasDigit = false;
                    continue;
                case Kind.Space:
                    Flush(word, tokens);
                    continue;
                default: // punctuation and symbols, including apostrophes and separators not inside a word
                    Flush(word, tokens);
                    if (Options.Punctuation == PunctuationHandling.Keep) tokens.Add(rune.ToString());
                    continue;
            }
        }
        Flush(word, tokens);
    }

    private enum Kind { Word, Invisible, Apostrophe, NumberSeparator, Space, Punctuation }

    private static Kind Classify(Rune rune)
    {
        if (rune.Value is '\'' or '\u2019' or '\u02BC') return Kind.Apostrophe;
        if (rune.Value is '.' or ',') return Kind.NumberSeparator;
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return Kind.Word;
            case UnicodeCategory.Format:
                return Kind.Invisible;
            case UnicodeCategory.SpaceSeparator:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.Control:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
                return Kind.Space;
            default:
                return Kind.Punctuation;
        }
    }

    private static bool StartsWithWordCharacter(ReadOnlySpan<char> text) =>
        !text.IsEmpty && Rune.DecodeFromUtf16(text, out Rune rune, out _) == System.Buffers.OperationStatus.Done &&
        Classify(rune) == Kind.Word;

    private static bool StartsWithDigit(ReadOnlySpan<char> text) =>
        !text.IsEmpty && Rune.DecodeFromUtf16(text, out Rune rune, out _) == System.Buffers.OperationStatus.Done &&
        Rune.IsDigit(rune);

    private void Flush(StringBuilder word, List<string> tokens)
    {
        if (word.Length == 0) return;
        string token = word.ToString();
        word.Clear();
        if (Options.Apostrophes == ApostropheHandling.SplitClitics && token.Contains('\''))
        {
            int cut = CliticStart(token);
            if (cut > 0)
            {
                tokens.Add(token[..cut]);
                tokens.Add(token[cut..]);
                return;
            }
        }
        tokens.Add(token);
    }

    /// <summary>Where an English clitic starts at the end of <paramref name="token"/>, or -1.</summary>
    private static int CliticStart(string token)
    {
        foreach (string clitic in ThreeLetterClitics)
            if (token.Length > 3 && token.EndsWith(clitic, StringComparison.OrdinalIgnoreCase)) return token.Length - 3;
        foreach (string clitic in TwoLetterClitics)
            if (token.Length > 2 && token.EndsWith(clitic, StringComparison.OrdinalIgnoreCase)) return token.Length - 2;
        return -1;
    }
}
