using System.Buffers.Text;
using System.Text;

namespace Graft.Text;

/// <summary>
/// Streams a pretrained word-vectors file (GloVe text; word2vec text or binary; fastText <c>.vec</c>; each plain or
/// gzipped) into <see cref="WordVectors"/>, in memory bounded by what is kept: one pass over the file, no
/// per-line strings, storage sized from the share of the file read.
/// </summary>
/// <remarks>
/// Policies, all reported with the 1-based line (entry, for binary files):
/// a repeated word is a warning and its first vector is kept; a word whose bytes are not UTF-8 is a warning
/// and the line is skipped (word2vec's own tool cuts long words mid-character, so published binaries hold a
/// few); a line with the wrong number of values, a value that is not a number, or a header that disagrees with
/// the contents (dimension, word count, trailing data) is an error, unless
/// <see cref="WordVectorReadOptions.SkipMalformedLines"/> turns malformed lines into warnings. Only lines whose
/// word is kept have their values parsed; the others are checked for their number of values.
/// </remarks>
public static class WordVectorReader
{
    /// <summary>Reads <paramref name="path"/> with <paramref name="options"/> (defaults: detect the format, keep every word).</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="WordVectorsFormatException">When the file breaks its format; the message names the line.</exception>
    public static WordVectors Read(string path, WordVectorReadOptions? options = null)
    {
        options ??= new WordVectorReadOptions();
        if (!File.Exists(path)) throw new FileNotFoundException($"word-vectors file '{path}' does not exist", path);
        using var source = ByteSource.Open(path);
        source.SkipByteOrderMark(); // some tools write one before a text file; no binary file starts with it
        var builder = new WordVectorsBuilder(options);
        WordVectorFormat format = options.Format == WordVectorFormat.Auto ? Detect(source) : options.Format;
        try
        {
            long entries = format switch
            {
                WordVectorFormat.GloVeText => new WordVectorTextParser(path, source, builder, options).Read(hasHeader: false),
                WordVectorFormat.Word2VecText => new WordVectorTextParser(path, source, builder, options).Read(hasHeader: true),
                WordVectorFormat.Word2VecBinary => new Word2VecBinaryParser(path, source, builder).Read(),
                _ => throw new ArgumentOutOfRangeException(nameof(options), format, "unknown word-vector format"),
            };
            return builder.Build(path, format, entries);
        }
        catch (InvalidDataException e)
        {
            throw new WordVectorsFormatException(path, 0, $"{e.Message} (read as {format})");
        }
    }

    /// <summary>The format <see cref="Read"/> would detect for <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    public static WordVectorFormat DetectFormat(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"word-vectors file '{path}' does not exist", path);
        using var source = ByteSource.Open(path);
        source.SkipByteOrderMark();
        return Detect(source);
    }

    /// <summary>
    /// A first line of exactly two non-negative integers is a word2vec header; the bytes after the first word that
    /// follows decide text (all printable ASCII, as decimal numbers are) from binary (raw float32 bytes).
    /// </summary>
    internal static WordVectorFormat Detect(ByteSource source)
    {
        ReadOnlySpan<byte> head = source.Peek(1 << 16);
        int newline = head.IndexOf((byte)'\n');
        if (newline < 0 || !TryParseHeader(head[..newline], out _, out int dimension)) return WordVectorFormat.GloVeText;
        int sampleLength = (int)Math.Min(4L * dimension, 4096);
        head = source.Peek(newline + 1 + 4096 + sampleLength);
        ReadOnlySpan<byte> entry = head[(newline + 1)..];
        int space = entry.IndexOf((byte)' ');
        if (space < 0) return WordVectorFormat.Word2VecText;
        ReadOnlySpan<byte> sample = entry[(space + 1)..];
        if (sample.Length > sampleLength) sample = sample[..sampleLength];
        foreach (byte b in sample)
            if (b is not ((>= 0x20 and < 0x7f) or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return WordVectorFormat.Word2VecBinary;
        return WordVectorFormat.Word2VecText;
    }

    /// <summary>Parses a <c>count dim</c> header: two non-negative integers (dim ≥ 1) separated by spaces.</summary>
    internal static bool TryParseHeader(ReadOnlySpan<byte> line, out long count, out int dimension)
    {
        dimension = 0;
        line = line.Trim((byte)'\r').Trim((byte)' ');
        if (!Utf8Parser.TryParse(line, out count, out int used) || count < 0 || used == 0) return false;
        ReadOnlySpan<byte> rest = line[used..];
        if (rest.IsEmpty || rest[0] != (byte)' ') return false;
        rest = rest.TrimStart((byte)' ');
        return Utf8Parser.TryParse(rest, out dimension, out used) && used == rest.Length && dimension > 0;
    }

    /// <summary>UTF-8 bytes as text for a message: invalid bytes replaced, long text cut.</summary>
    internal static string Show(ReadOnlySpan<byte> bytes, int maxChars = 40)
    {
        string text = Encoding.UTF8.GetString(bytes.Length > maxChars * 4 ? bytes[..(maxChars * 4)] : bytes);
        return text.Length > maxChars ? text[..maxChars] + "…" : text;
    }

    /// <summary>The bytes as hex for a message, cut after 16.</summary>
    internal static string Hex(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexString(bytes.Length > 16 ? bytes[..16] : bytes) + (bytes.Length > 16 ? "…" : "");
}
