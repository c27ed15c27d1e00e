namespace Graft.Text;

/// <summary>The published file formats of pretrained word vectors that <see cref="WordVectorReader"/> reads.</summary>
public enum WordVectorFormat
{
    /// <summary>Decide from the content: a first line of two integers means word2vec/fastText (text or binary,
    /// told apart by the bytes after the first word), anything else GloVe text.</summary>
    Auto = 0,

    /// <summary>GloVe text: one <c>word v1 … vd</c> line per word, no header; the dimension is that of the first line.</summary>
    GloVeText,

    /// <summary>word2vec text: a <c>count dim</c> header line, then one <c>word v1 … vd</c> line per word.
    /// fastText's <c>.vec</c> files are this format.</summary>
    Word2VecText,

    /// <summary>word2vec binary: a <c>count dim\n</c> header line, then per word its bytes up to a space and
    /// <c>dim</c> little-endian float32 values, optionally followed by <c>\n</c>.</summary>
    Word2VecBinary,
}
