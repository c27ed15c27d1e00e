namespace Graft.Text;

/// <summary>How a sequence of word vectors becomes one vector.</summary>
public enum TextPooling
{
    /// <summary>The mean of the words' vectors (padding excluded).</summary>
    Mean,

    /// <summary>The element-wise maximum over the words (padding excluded).</summary>
    Max,
}
