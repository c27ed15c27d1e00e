using Graft.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Weights;

[Collection(WeightFixturesCollection.Name)]
public sealed class SafeTensorsTests(WeightFixtures fixtures)
{
    [Fact]
    public void ReadsAFileWrittenByPython()
    {
        using StateDict expected = SafeTensors.Read(fixtures["expected.safetensors"]);
        Assert.Equal("make_weight_fixtures.py", expected.Metadata["writer"]);
        Assert.StartsWith("1.13", expected.Metadata["torch"]);
        Assert.Equal(ScalarType.BFloat16, expected["dtypes/bf16"].dtype);
        Assert.Equal(3, expected["module/bn.num_batches_tracked"].item<long>());
        // Spot values from the views fixture: torch.arange(60).reshape(6, 10).t()[1, 2] == 21.
        Assert.Equal(21f, expected["views/transposed"][1, 2].item<float>());
    }

    [Fact]
    public void WriteThenReadRoundTripsEveryDtypeAndMetadata()
    {
        using StateDict original = TorchCheckpoint.Read(fixtures["dtypes.pth"]);
        string path = TempFile();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" };
        original.Save(path, metadata);

        using StateDict back = SafeTensors.Read(path);
        Assert.Equal(metadata, back.Metadata);
        Assert.Equal(original.Keys.Order(StringComparer.Ordinal), back.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in original) TensorAssert.BitwiseEqual(tensor, back[name], name);
    }

    [Fact]
    public void WrittenLayoutIsAlignedDeterministicAndPadded()
    {
        using StateDict original = TorchCheckpoint.Read(fixtures["dtypes.pth"]);
        string first = TempFile(), second = TempFile();
        original.Save(first);
        using (var reversed = new StateDict())
        {
            foreach (var (name, tensor) in original.Reverse()) reversed.Add(name, tensor.clone());
            reversed.Save(second);
        }
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second)); // insertion order does not matter

        SafeTensorsHeader header = SafeTensors.ReadHeader(first);
        Assert.Equal(0, header.DataStart % 8);
        Assert.All(header.Tensors, t => Assert.Equal(0, t.Begin % ElementSize(t.DType)));
        var sizes = header.Tensors.Select(t => ElementSize(t.DType)).ToList();
        Assert.Equal(sizes.OrderDescending(), sizes); // largest elements first
    }

    [Fact]
    public void FileWrittenByGraftIsReadByPython()
    {
        using StateDict dtypes = TorchCheckpoint.Read(fixtures["dtypes.pth"]);
        using StateDict views = TorchCheckpoint.Read(fixtures["views.pth"]);
        using var combined = new StateDict();
        foreach (var (name, tensor) in dtypes) combined.Add("dtypes/" + name, tensor.clone());
        // Written from non-contiguous tensors, to exercise the writer's own contiguous copy.
        foreach (var (name, tensor) in views) combined.Add("views/" + name, tensor.clone());
        combined.Set("views/transposed", views["base"].t().clone());
        string path = TempFile();
        combined.Save(path, new Dictionary<string, string> { ["graft.test"] = "round-trip" });

        var (exitCode, output) = WeightFixtures.RunScript("--check", path);
        Assert.True(exitCode == 0, output);
        Assert.Contains("OK 24 tensors", output);
    }

    [Fact]
    public void WritingIsAtomic()
    {
        string path = TempFile();
        File.WriteAllText(path, "previous content");
        using var bad = new StateDict();
        bad.Add("ok", torch.ones(2));
        bad.Add("complex", torch.ones(2, dtype: ScalarType.ComplexFloat32));
        Assert.Throws<NotSupportedException>(() => bad.Save(path));
        Assert.Equal("previous content", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"));
    }

    private static long ElementSize(ScalarType type)
    {
        using Tensor probe = torch.empty(0, type);
        return probe.ElementSize;
    }

    private string TempFile() => Path.Combine(fixtures.Folder, $"written-{Guid.NewGuid():N}.safetensors");
}
