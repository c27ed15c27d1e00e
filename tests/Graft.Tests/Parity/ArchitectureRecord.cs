using System.Text.Json;

namespace Graft.Tests.Parity;

/// <summary>One state_dict entry as torchvision lists it.</summary>
public sealed record KeyRecord(string Key, long[] Shape, bool IsParameter);

/// <summary>The oracle's ARCH.json: keys and shapes in state_dict order, parameter count, init fingerprints.</summary>
public sealed record ArchitectureRecord(
    string Name,
    long[] InputShape,
    string Head,
    long InitSeed,
    long TrainSeed,
    long NumParams,
    IReadOnlyList<KeyRecord> Keys,
    IReadOnlyDictionary<string, double[]> Init)
{
    public static ArchitectureRecord Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var seeds = root.GetProperty("seeds");
        return new ArchitectureRecord(
            root.GetProperty("name").GetString()!,
            root.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            root.GetProperty("head").GetString()!,
            seeds.GetProperty("init").GetInt64(),
            seeds.GetProperty("train").GetInt64(),
            root.GetProperty("num_params").GetInt64(),
            root.GetProperty("keys").EnumerateArray().Select(e => new KeyRecord(
                e.GetProperty("key").GetString()!,
                e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                e.GetProperty("kind").GetString() == "parameter")).ToArray(),
            root.GetProperty("init").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetDouble()).ToArray()));
    }
}
