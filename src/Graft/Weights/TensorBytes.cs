using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>
/// Moves raw bytes between files and a contiguous CPU tensor's own storage, with no intermediate buffer.
/// TorchSharp exposes storage as a <see cref="Span{T}"/>, which cannot exceed 2 GiB, so large tensors go in chunks.
/// </summary>
internal static class TensorBytes
{
    private const long DefaultChunkBytes = 1L << 30;

    private delegate void ChunkVisitor(Span<byte> chunk, long offsetInTensor);

    /// <summary>The number of bytes the tensor's elements occupy.</summary>
    public static long Count(Tensor tensor) => tensor.NumberOfElements * tensor.ElementSize;

    /// <summary>Fills <paramref name="tensor"/> (contiguous, CPU) with the next bytes of <paramref name="source"/>.</summary>
    /// <exception cref="EndOfStreamException">When the stream ends first.</exception>
    public static void Fill(Tensor tensor, Stream source, long chunkBytes = DefaultChunkBytes) =>
        Visit(tensor, chunkBytes, (chunk, _) => source.ReadExactly(chunk));

    /// <summary>Fills <paramref name="tensor"/> from <paramref name="file"/> starting at <paramref name="fileOffset"/>.</summary>
    /// <exception cref="EndOfStreamException">When the file ends first.</exception>
    public static void Fill(Tensor tensor, SafeFileHandle file, long fileOffset, long chunkBytes = DefaultChunkBytes) =>
        Visit(tensor, chunkBytes, (chunk, offset) =>
        {
            long position = fileOffset + offset;
            while (!chunk.IsEmpty)
            {
                int read = RandomAccess.Read(file, chunk, position);
                if (read == 0) throw new EndOfStreamException($"The file ended at byte {position}.");
                chunk = chunk[read..];
                position += read;
            }
        });

    /// <summary>Writes the bytes of <paramref name="tensor"/> (contiguous, CPU) to <paramref name="destination"/>.</summary>
    public static void Write(Tensor tensor, Stream destination, long chunkBytes = DefaultChunkBytes) =>
        Visit(tensor, chunkBytes, (chunk, _) => destination.Write(chunk));

    /// <summary>Reverses the byte order of every element in place (files written on big-endian machines).</summary>
    public static void SwapByteOrder(Tensor tensor)
    {
        int size = (int)tensor.ElementSize;
        if (size == 1) return;
        Visit(tensor, DefaultChunkBytes, (chunk, _) =>
        {
            for (int i = 0; i < chunk.Length; i += size) chunk.Slice(i, size).Reverse();
        });
    }

    private static void Visit(Tensor tensor, long chunkBytes, ChunkVisitor visit)
    {
        if (!tensor.is_contiguous() || tensor.device_type != DeviceType.CPU)
            throw new ArgumentException("Raw byte access needs a contiguous CPU tensor.", nameof(tensor));
        long total = Count(tensor);
        if (total <= chunkBytes)
        {
            visit(tensor.bytes, 0);
            return;
        }
        long elementSize = tensor.ElementSize;
        long chunkElements = Math.Max(1, chunkBytes / elementSize);
        using Tensor flat = tensor.view(-1);
        for (long start = 0; start < flat.NumberOfElements; start += chunkElements)
        {
            long length = Math.Min(chunkElements, flat.NumberOfElements - start);
            using Tensor part = flat.narrow(0, start, length);
            visit(part.bytes, start * elementSize);
        }
    }
}
