using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Graft.Text;

/// <summary>
/// Parses word2vec's binary format: a <c>count dim\n</c> header, then per word its bytes up to a space followed by
/// <c>dim</c> little-endian float32 values, optionally followed by <c>\n</c>. Positions in messages are 1-based
/// entries (words) with their byte offset.
/// </summary>
internal sealed class Word2VecBinaryParser(string path, ByteSource source, WordVectorsBuilder builder)
{
    private byte[] _word = new byte[256];

    /// <summary>Reads the header and every entry; returns the number of entries read.</summary>
    /// <exception cref="WordVectorsFormatException">When the header or an entry breaks the format.</exception>
    public long Read()
    {
        if (!source.TryReadLine(out ReadOnlySpan<byte> header))
            throw new WordVectorsFormatException(path, 0, "the file is empty; expected a 'count dim' header line");
        if (!WordVectorReader.TryParseHeader(header, out long headerCount, out int dimension))
            throw new WordVectorsFormatException(path, 1,
                $"expected a 'count dim' header of two integers (word2vec binary format), found '{WordVectorReader.Show(header)}'");
        if (dimension > Array.MaxLength / 4)
            throw new WordVectorsFormatException(path, 1, $"the header's dimension {dimension} is implausibly large");
        builder.SetDimension(dimension);
        int recordBytes = 4 * dimension;
        long entries = 0;
        while (entries < headerCount && !builder.IsFull)
        {
            source.Skip((byte)'\n');
            long entry = entries + 1, offset = source.Consumed;
            if (!source.TryReadUntil((byte)' ', out ReadOnlySpan<byte> wordBytes, allowEndOfFile: false))
                throw Error(entry, offset,
                    $"the file ends after {entries} of the {headerCount} words its header announces (truncated?)");
            if (wordBytes.IsEmpty) throw Error(entry, offset, "empty word (two spaces in a row)");
            if (wordBytes.IndexOfAnyInRange((byte)0, (byte)0x1f) >= 0)
                throw Error(entry, offset,
                    $"the word holds control bytes ({WordVectorReader.Hex(wordBytes)}), so the records are not where the header's dimension {dimension} puts them");
            // Reading the vector may refill the buffer under wordBytes, so the word is copied first.
            if (_word.Length < wordBytes.Length) _word = new byte[wordBytes.Length * 2];
            wordBytes.CopyTo(_word);
            ReadOnlySpan<byte> word = _word.AsSpan(0, wordBytes.Length);
            if (!source.TryReadExactly(recordBytes, out ReadOnlySpan<byte> vector))
                throw Error(entry, offset,
                    $"the file ends inside the {recordBytes} bytes of the vector of word '{WordVectorReader.Show(word)}' (truncated, or the header's dimension {dimension} is wrong)");
            entries++;
            if (!builder.TryBeginRow(word, new EntryPosition("entry", entry, offset), source.FractionConsumed, out Span<float> row)) continue;
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(vector).CopyTo(row);
            }
            else
            {
                for (int i = 0; i < row.Length; i++) row[i] = BinaryPrimitives.ReadSingleLittleEndian(vector[(4 * i)..]);
            }
            builder.Commit();
        }
        if (!builder.IsFull)
        {
            source.Skip((byte)'\n');
            if (!source.Peek(1).IsEmpty)
                throw Error(0, source.Consumed,
                    $"the header announces {headerCount} words, but more data follows the last of them");
        }
        return entries;
    }

    private WordVectorsFormatException Error(long entry, long offset, string message) =>
        new(path, entry, $"{(entry > 0 ? "at" : "At")} byte {offset}: {message}", unit: "entry");
}
