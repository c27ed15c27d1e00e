namespace Graft.Text;

/// <summary>A text model's answer for one text: its most probable classes, best first.</summary>
/// <param name="Text">The text as given.</param>
/// <param name="Top">The k most probable classes, in decreasing probability.</param>
/// <param name="Words">Tokens of the text within the model's sequence length.</param>
/// <param name="UnknownWords">Of those, tokens outside the model's vocabulary (they all read as one unknown word).</param>
public sealed record TextPrediction(string Text, IReadOnlyList<ClassScore> Top, int Words, int UnknownWords)
{
    /// <summary>The most probable class.</summary>
    public ClassScore Best => Top[0];
}
