using System.Buffers.Binary;
using System.IO.Compression;

namespace Graft.Data;

/// <summary>
/// An array read from an IDX file, the format of MNIST and Fashion-MNIST: two zero bytes, a type byte, a
/// dimension count, that many big-endian 32-bit sizes, then the values in row-major order.
/// </summary>
/// <param name="Dimensions">The size of each dimension, outermost first.</param>
/// <param name="Data">The values (unsigned bytes).</param>
public sealed record IdxFile(int[] Dimensions, byte[] Data)
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file of unsigned bytes, gzipped or not (recognised by content, not by name).</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="InvalidDataException">When the file is not a well-formed unsigned-byte IDX file (the message says what is wrong).</exception>
    public static IdxFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var inflated = new MemoryStream(bytes.Length * 2);
                gzip.CopyTo(inflated);
                bytes = inflated.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"IDX file '{path}' is gzipped but damaged: {e.Message}", e);
            }
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of an (uncompressed) IDX file.</summary>
    /// <exception cref="InvalidDataException">When the bytes are not a well-formed unsigned-byte IDX array.</exception>
    public static IdxFile Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"'{name}' is not an IDX file: it must start with two zero bytes, a type byte and a dimension count.");
        byte type = bytes[2];
        if (type != UnsignedByteType)
            throw new InvalidDataException($"'{name}' holds IDX type 0x{type:X2}; Graft reads unsigned-byte (0x08) IDX files only.");
        int rank = bytes[3];
        if (rank == 0) throw new InvalidDataException($"'{name}' declares 0 dimensions.");
        int header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new InvalidDataException($"'{name}' is truncated: its header declares {rank} dimensions but the file has {bytes.Length} bytes.");
        int[] dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4 + 4 * d, 4));
            if (size > int.MaxValue) throw new InvalidDataException($"'{name}': dimension {d} has an impossible size {size}.");
            dims[d] = (int)size;
            total *= size;
        }
        long available = bytes.Length - header;
        if (available != total)
            throw new InvalidDataException(
                $"'{name}': dimensions {string.Join("x", dims)} need {total} bytes of data, the file has {available}" +
                (available < total ? " (truncated)." : " (trailing bytes)."));
        return new IdxFile(dims, bytes.Slice(header).ToArray());
    }
}
