using Graft.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Weights;

/// <summary>Checkpoints written by torch.save (torch 1.13) read back bitwise equal to what torch held.</summary>
[Collection(WeightFixturesCollection.Name)]
public sealed class TorchCheckpointTests(WeightFixtures fixtures)
{
    [Theory]
    [InlineData("dtypes")]
    [InlineData("views")]
    [InlineData("parameters")]
    [InlineData("module")]
    [InlineData("big_endian")]
    public void CheckpointMatchesTorchBitwise(string fixture)
    {
        using StateDict expected = ExpectedGroup(fixture);
        using StateDict actual = TorchCheckpoint.Read(fixtures[$"{fixture}.pth"]);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in expected) TensorAssert.BitwiseEqual(tensor, actual[name], name);
    }

    [Fact]
    public void KeysKeepTheCheckpointOrder()
    {
        using StateDict module = TorchCheckpoint.Read(fixtures["module.pth"]);
        Assert.Equal(["conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
            "fc.weight", "fc.bias"], module.Keys);
    }

    [Fact]
    public void DtypeFixtureCoversEveryDtype()
    {
        using StateDict actual = TorchCheckpoint.Read(fixtures["dtypes.pth"]);
        ScalarType[] wanted = [ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64,
            ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool];
        Assert.Equal(wanted.Order(), actual.Values.Select(t => t.dtype).Distinct().Order());
        Assert.Empty(actual["scalar"].shape);
        Assert.Equal([0L, 4L], actual["empty"].shape);
    }

    [Fact]
    public void TensorsSharingAStorageBecomeIndependent()
    {
        using StateDict views = TorchCheckpoint.Read(fixtures["views.pth"]);
        Tensor baseTensor = views["base"], window = views["flat_window"];
        Assert.Equal(7f, window[0].item<float>());
        baseTensor.view(-1)[7] = torch.tensor(-1f);
        Assert.Equal(7f, window[0].item<float>());
        Assert.All(views.Values, t => Assert.True(t.is_contiguous()));
    }

    [Fact]
    public void NestedStateDictIsFoundAutomatically()
    {
        using StateDict nested = TorchCheckpoint.Read(fixtures["nested.pth"]);
        using StateDict plain = TorchCheckpoint.Read(fixtures["module.pth"]);
        Assert.Equal("state_dict", nested.Metadata["graft.checkpoint_entry"]);
        Assert.Equal(plain.Keys, nested.Keys);
        foreach (var (name, tensor) in plain) TensorAssert.BitwiseEqual(tensor, nested[name], name);
    }

    [Fact]
    public void SeveralNestedStateDictsNeedAnEntry()
    {
        var error = Assert.Throws<WeightFileException>(() => TorchCheckpoint.Read(fixtures["ambiguous.pth"]));
        Assert.Contains("ambiguous.pth", error.Message);
        Assert.Contains("'model'", error.Message);
        Assert.Contains("'ema'", error.Message);

        using StateDict ema = TorchCheckpoint.Read(fixtures["ambiguous.pth"], entry: "ema");
        Assert.Equal(8, ema.Count);
    }

    [Fact]
    public void MissingEntryNamesTheKeysThatExist()
    {
        var error = Assert.Throws<WeightFileException>(() => StateDict.Load(fixtures["nested.pth"], entry: "model"));
        Assert.Contains("no entry 'model'", error.Message);
        Assert.Contains("'state_dict'", error.Message);
        Assert.Contains("'optimizer'", error.Message);

        var notTensors = Assert.Throws<WeightFileException>(() => StateDict.Load(fixtures["nested.pth"], entry: "optimizer"));
        Assert.Contains("not a dict of tensors", notTensors.Message);
    }

    [Fact]
    public void LegacyFormatIsRefusedWithHowToResave()
    {
        Assert.Equal(WeightFormat.TorchLegacy, WeightFormatSniffer.Detect(fixtures["legacy.pth"]));
        var error = Assert.Throws<WeightFileException>(() => StateDict.Load(fixtures["legacy.pth"]));
        Assert.Contains("legacy.pth", error.Message);
        Assert.Contains("torch.save(", error.Message);
    }

    [Fact]
    public void TorchScriptArchiveIsRefusedWithAHint()
    {
        var error = Assert.Throws<WeightFileException>(() => StateDict.Load(fixtures["torchscript.pt"]));
        Assert.Contains("TorchScript", error.Message);
        Assert.Contains("state_dict()", error.Message);
    }

    [Fact]
    public void FormatIsDetectedByContentNotExtension()
    {
        string renamed = Path.Combine(fixtures.Folder, $"really-a-checkpoint-{Guid.NewGuid():N}.safetensors");
        File.Copy(fixtures["module.pth"], renamed);
        using StateDict loaded = StateDict.Load(renamed);
        Assert.Equal(8, loaded.Count);
        Assert.Equal(WeightFormat.SafeTensors, WeightFormatSniffer.Detect(fixtures["expected.safetensors"]));
        Assert.Equal(WeightFormat.TorchZip, WeightFormatSniffer.Detect(renamed));
    }

    /// <summary>The tensors of one fixture group from expected.safetensors (written by Python from torch's bytes).</summary>
    private StateDict ExpectedGroup(string group)
    {
        using StateDict all = SafeTensors.Read(fixtures["expected.safetensors"]);
        var result = new StateDict();
        string prefix = group + "/";
        foreach (var (name, tensor) in all)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) result.Add(name[prefix.Length..], tensor.clone());
        }
        Assert.True(result.Count > 0, $"no expected tensors for {group}");
        return result;
    }
}
