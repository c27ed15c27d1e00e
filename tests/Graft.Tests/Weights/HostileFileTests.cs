using Graft.Weights;

namespace Graft.Tests.Weights;

/// <summary>
/// Checkpoints whose pickles would run `touch MARKER` under Python's unpickler (the fixture script proves the
/// payload is real by running a copy). Graft must refuse them, name the global, and never create the marker.
/// </summary>
[Collection(WeightFixturesCollection.Name)]
public sealed class HostileFileTests(WeightFixtures fixtures)
{
    [Theory]
    [InlineData("hostile_os_system.pth", "os.system")]
    [InlineData("hostile_in_state_dict.pth", "posix.system")]
    [InlineData("hostile_stack_global.pth", "builtins.eval")]
    public void PickleNamingAForbiddenGlobalIsRefusedAndNothingRuns(string file, string global)
    {
        var error = Assert.Throws<UnsafePickleException>(() => StateDict.Load(fixtures[file]));

        Assert.Equal(global, error.Global);
        Assert.Contains($"'{global}'", error.Message);
        Assert.Contains(file, error.Message);
        Assert.Contains("Nothing was executed", error.Message);
        Thread.Sleep(50); // a spawned shell would need a moment; give it one before checking
        Assert.False(File.Exists(fixtures.PayloadMarker), "the pickle payload ran");
    }

    [Fact]
    public void AllowedGlobalsAreOnlyTheOnesTorchSaveWrites()
    {
        var names = Graft.Weights.Torch.TorchPickleGlobals.Names;
        Assert.Contains("torch._utils._rebuild_tensor_v2", names);
        Assert.Contains("collections.OrderedDict", names);
        Assert.DoesNotContain(names, n => n.StartsWith("os.", StringComparison.Ordinal) || n.StartsWith("builtins.", StringComparison.Ordinal)
                                          || n.StartsWith("posix.", StringComparison.Ordinal) || n.StartsWith("subprocess.", StringComparison.Ordinal));
        Assert.All(names, n => Assert.True(n.StartsWith("torch.", StringComparison.Ordinal) || n is "collections.OrderedDict" or "_codecs.encode", n));
    }
}
