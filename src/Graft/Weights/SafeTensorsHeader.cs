using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>
/// The JSON header of a safetensors file: which tensors it holds, where, and its <c>__metadata__</c> strings.
/// Format: 8 bytes little-endian header length N, N bytes of JSON, then the tensors' raw little-endian bytes.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The reference implementation refuses headers above 100 MB; so does Graft (a corrupt length field
    /// must not make it allocate gigabytes).</summary>
    internal const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    internal SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata,
        long dataStart)
    {
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
    }

    /// <summary>The tensors, in the order their bytes appear in the file.</summary>
    public IReadOnlyList<SafeTensorsEntry> Tensors { get; }

    /// <summary>The free-form <c>__metadata__</c> string map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Where the data section starts in the file (8 + the header length).</summary>
    public long DataStart { get; }

    /// <summary>
    /// Parses and validates a header: well-formed JSON, known dtypes, offsets that tile the data section
    /// exactly from 0 to <paramref name="dataLength"/> without gaps or overlaps, and byte counts that match
    /// each shape.
    /// </summary>
    /// <exception cref="WeightFileException">When anything is wrong; the message names the file and tensor.</exception>
    internal static SafeTensorsHeader Parse(string file, ReadOnlyMemory<byte> json, long dataLength)
    {
        if (!Utf8.IsValid(json.Span))
            throw new WeightFileException(file, "the safetensors header is not valid UTF-8 text.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new WeightFileException(file, $"the safetensors header is not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new WeightFileException(file, "the safetensors header is not a JSON object.");

            var tensors = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new WeightFileException(file, $"the safetensors header lists '{property.Name}' twice.");
                if (property.Name == MetadataKey)
                    ReadMetadata(file, property.Value, metadata);
                else
                    tensors.Add(ReadEntry(file, property.Name, property.Value));
            }
            // Empty tensors sit at a point (begin == end), so order by end too, or they would look like overlaps.
            tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            CheckLayout(file, tensors, dataLength);
            return new SafeTensorsHeader(tensors, metadata, 8 + json.Length);
        }
    }

    /// <summary>
    /// Builds the header bytes for <paramref name="tensors"/> (already laid out), padded with spaces to a multiple
    /// of 8 bytes as the reference implementation does, so the data section starts aligned.
    /// </summary>
    internal static byte[] Build(IReadOnlyList<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            foreach (SafeTensorsEntry entry in tensors)
            {
                writer.WriteStartObject(entry.Name);
                writer.WriteString("dtype", WeightDTypes.ToSafeTensors(entry.DType));
                writer.WriteStartArray("shape");
                foreach (long dim in entry.Shape) writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(entry.Begin);
                writer.WriteNumberValue(entry.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static void ReadMetadata(string file, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw new WeightFileException(file, $"'{MetadataKey}' must be an object of strings, not {value.ValueKind}.");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new WeightFileException(file,
                    $"'{MetadataKey}' entry '{item.Name}' must be a string, not {item.Value.ValueKind}.");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafeTensorsEntry ReadEntry(string file, string name, JsonElement value)
    {
        string where = $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new WeightFileException(file, $"{where}: expected an object with dtype, shape and data_offsets.");
        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new WeightFileException(file, $"{where}: missing the string field 'dtype'.");
        string dtypeName = dtypeElement.GetString()!;
        if (!WeightDTypes.TryFromSafeTensors(dtypeName, out ScalarType dtype))
            throw new WeightFileException(file,
                $"{where} has dtype '{dtypeName}', which Graft cannot load (supported: {WeightDTypes.SupportedSafeTensorsNames}).");
        long[] shape = ReadIntegers(file, where, value, "shape");
        long[] offsets = ReadIntegers(file, where, value, "data_offsets");
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw new WeightFileException(file, $"{where}: data_offsets must be [begin, end] with begin <= end, got [{string.Join(", ", offsets)}].");

        long expected;
        try
        {
            expected = WeightDTypes.SizeOf(dtype);
            foreach (long dim in shape) expected = checked(expected * dim);
        }
        catch (OverflowException)
        {
            throw new WeightFileException(file, $"{where}: shape [{string.Join(", ", shape)}] is impossibly large.");
        }
        long actual = offsets[1] - offsets[0];
        if (actual != expected)
            throw new WeightFileException(file,
                $"{where}: data_offsets [{offsets[0]}, {offsets[1]}] hold {actual} bytes, but shape [{string.Join(", ", shape)}] of {dtypeName} needs {expected}.");
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(string file, string where, JsonElement owner, string field)
    {
        if (!owner.TryGetProperty(field, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
            throw new WeightFileException(file, $"{where}: missing the array field '{field}'.");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
                throw new WeightFileException(file, $"{where}: '{field}' must hold non-negative integers, found {item.GetRawText()}.");
            values[i++] = number;
        }
        return values;
    }

    private static void CheckLayout(string file, List<SafeTensorsEntry> sortedByBegin, long dataLength)
    {
        long expectedBegin = 0;
        foreach (SafeTensorsEntry entry in sortedByBegin)
        {
            if (entry.End > dataLength)
                throw new WeightFileException(file,
                    $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] run past the end of the data section ({dataLength} bytes); the file is truncated or corrupt.");
            if (entry.Begin != expectedBegin)
                throw new WeightFileException(file,
                    entry.Begin < expectedBegin
                        ? $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] overlap the previous tensor, which ends at {expectedBegin}."
                        : $"tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] leave a gap after byte {expectedBegin}.");
            expectedBegin = entry.End;
        }
        if (expectedBegin != dataLength)
            throw new WeightFileException(file,
                $"the tensors cover {expectedBegin} bytes but the data section holds {dataLength}; the file has trailing bytes or a wrong header.");
    }
}
