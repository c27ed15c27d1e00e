namespace Graft.Text;

/// <summary>An end of a token sequence.</summary>
public enum SequenceEnd
{
    /// <summary>The beginning (Keras' <c>'pre'</c>).</summary>
    Start,

    /// <summary>The end (Keras' <c>'post'</c>).</summary>
    End,
}
