using System.Buffers.Binary;
using Graft.IO;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw data.
/// </summary>
public static class SafeTensors
{
    /// <summary>Reads and validates only the header, without loading any tensor.</summary>
    /// <exception cref="WeightFileException">When the file is missing, truncated or its header is invalid.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using SafeFileHandle file = Open(path);
        return ReadHeader(path, file);
    }

    /// <summary>
    /// Reads every tensor of a safetensors file onto the CPU. Each tensor's bytes go straight from the file into
    /// the tensor's own storage (no second copy of the file in memory).
    /// </summary>
    /// <exception cref="WeightFileException">When the file is missing, truncated, corrupt or holds an unknown dtype.</exception>
    public static StateDict Read(string path)
    {
        using SafeFileHandle file = Open(path);
        SafeTensorsHeader header = ReadHeader(path, file);
        var result = new StateDict { SourcePath = path };
        try
        {
            foreach (var (key, value) in header.Metadata) result.Metadata[key] = value;
            foreach (SafeTensorsEntry entry in header.Tensors)
            {
                Tensor tensor = torch.empty(entry.Shape, entry.DType);
                result.Add(entry.Name, tensor);
                TensorBytes.Fill(tensor, file, header.DataStart + entry.Begin);
            }
            return result;
        }
        catch (Exception e)
        {
            result.Dispose();
            if (e is EndOfStreamException or IOException and not WeightFileException)
                throw new WeightFileException(path, $"reading the tensor data failed ({e.Message}); the file may have changed while being read.", e);
            throw;
        }
    }

    /// <summary>
    /// Writes tensors as safetensors, atomically (temporary file, then rename). Tensors are laid out in a
    /// deterministic order, largest element size first and then by name (as the reference implementation
    /// does, so every tensor starts aligned to its element size), and the header is padded to 8 bytes.
    /// </summary>
    /// <param name="path">Destination file.</param>
    /// <param name="tensors">Named tensors, on any device, contiguous or not.</param>
    /// <param name="metadata">Optional strings stored under <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">When two tensors share a name or a name is <c>__metadata__</c>.</exception>
    /// <exception cref="NotSupportedException">When a tensor's dtype has no safetensors name.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var named = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in named)
        {
            if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved in safetensors.", nameof(tensors));
            if (!names.Add(name)) throw new ArgumentException($"Two tensors are named '{name}'.", nameof(tensors));
            WeightDTypes.ToSafeTensors(tensor.dtype);
        }
        named.Sort((a, b) =>
        {
            int bySize = WeightDTypes.SizeOf(b.Value.dtype).CompareTo(WeightDTypes.SizeOf(a.Value.dtype));
            return bySize != 0 ? bySize : string.CompareOrdinal(a.Key, b.Key);
        });

        var entries = new List<SafeTensorsEntry>(named.Count);
        long offset = 0;
        foreach (var (name, tensor) in named)
        {
            long bytes = tensor.NumberOfElements * WeightDTypes.SizeOf(tensor.dtype);
            entries.Add(new SafeTensorsEntry(name, tensor.dtype, tensor.shape, offset, offset + bytes));
            offset += bytes;
        }
        byte[] header = SafeTensorsHeader.Build(entries, metadata);

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in named)
            {
                using var scope = torch.NewDisposeScope();
                TensorBytes.Write(tensor.detach().cpu().contiguous(), stream);
            }
        });
    }

    private static SafeFileHandle Open(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightFileException(path, $"cannot be opened ({e.Message}).", e);
        }
    }

    private static SafeTensorsHeader ReadHeader(string path, SafeFileHandle file)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8)
            throw new WeightFileException(path, $"is {fileLength} bytes long, too short for a safetensors file (8-byte header length, then the header).");
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(path, file, lengthBytes, 0);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new WeightFileException(path,
                $"the safetensors header length field says {headerLength} bytes, but the file holds only {fileLength - 8} after it; the file is truncated or not safetensors.");
        if (headerLength > SafeTensorsHeader.MaxHeaderBytes)
            throw new WeightFileException(path,
                $"the safetensors header length field says {headerLength} bytes, above the {SafeTensorsHeader.MaxHeaderBytes}-byte limit.");
        var json = new byte[headerLength];
        ReadExactly(path, file, json, 8);
        return SafeTensorsHeader.Parse(path, json, fileLength - 8 - (long)headerLength);
    }

    private static void ReadExactly(string path, SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(file, buffer, offset);
            if (read == 0) throw new WeightFileException(path, $"ended unexpectedly at byte {offset}.");
            buffer = buffer[read..];
            offset += read;
        }
    }
}
