using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Graft.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training.Checkpoints;

/// <summary>
/// Reads and writes named tensors with string metadata in the safetensors format (an 8-byte little-endian header
/// length, a JSON header with <c>__metadata__</c> and each tensor's dtype, shape and byte range, then the raw
/// little-endian data). The one place Training touches the format: when <c>Graft.Weights.StateDict</c> lands, this
/// class becomes a thin adapter over it.
/// </summary>
internal static class TensorFile
{
    private static readonly Dictionary<ScalarType, string> Names = new()
    {
        [ScalarType.Float32] = "F32", [ScalarType.Float64] = "F64", [ScalarType.Float16] = "F16", [ScalarType.BFloat16] = "BF16",
        [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32", [ScalarType.Int16] = "I16", [ScalarType.Int8] = "I8",
        [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="NotSupportedException">When a tensor's dtype has no safetensors name.</exception>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var scope = NewDisposeScope();
        var entries = new List<(string Name, Tensor Data, string DType)>();
        foreach (var (name, t) in tensors)
        {
            if (!Names.TryGetValue(t.dtype, out var dtype))
                throw new NotSupportedException($"Tensor '{name}' has dtype {t.dtype}, which safetensors cannot store.");
            entries.Add((name, t.detach().cpu().contiguous(), dtype));
        }

        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, data, dtype) in entries)
            {
                long bytes = data.NumberOfElements * data.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long d in data.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the format recommends.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            header.Position = 0;
            header.CopyTo(stream);
            foreach (var (_, data, _) in entries)
                if (data.NumberOfElements > 0) stream.Write(data.bytes);
        });
    }

    /// <summary>Reads every tensor (on the CPU, owned by the caller) and the metadata of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="InvalidDataException">When the file is not valid safetensors; the message names the file and the fault.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No file at '{path}'.", path);
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8) throw Invalid(path, "it is shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(stream.Length - 8)) throw Invalid(path, $"its header length {headerLength} exceeds the file size {stream.Length}");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerLength;

        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var document = JsonDocument.Parse(headerBytes);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var item in property.Value.EnumerateObject()) metadata[item.Name] = item.Value.GetString() ?? "";
                    continue;
                }
                string dtypeName = property.Value.GetProperty("dtype").GetString() ?? "";
                var dtype = Names.FirstOrDefault(kv => kv.Value == dtypeName).Key;
                if (!Names.ContainsKey(dtype) || Names[dtype] != dtypeName) throw Invalid(path, $"tensor '{property.Name}' has unknown dtype '{dtypeName}'");
                long[] shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long[] offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var t = empty(shape, dtype);
                long expected = t.NumberOfElements * t.ElementSize;
                if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > stream.Length)
                {
                    t.Dispose();
                    throw Invalid(path, $"tensor '{property.Name}' has data_offsets [{string.Join(", ", offsets)}], expected {expected} bytes inside the file");
                }
                if (expected > 0)
                {
                    stream.Position = dataStart + offsets[0];
                    stream.ReadExactly(t.bytes);
                }
                tensors[property.Name] = t.DetachFromDisposeScope();
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw Invalid(path, $"its header is not valid: {e.Message}");
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (tensors, metadata);
    }

    private static InvalidDataException Invalid(string path, string why) =>
        new($"'{path}' is not a valid safetensors file: {why}.");
}
