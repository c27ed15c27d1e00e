using System.IO.Compression;
using System.Numerics;
using System.Text;
using Graft.Weights;
using Graft.Weights.Pickle;
using Graft.Weights.Torch;

namespace Graft.Tests.Weights;

[Collection(WeightFixturesCollection.Name)]
public sealed class RestrictedUnpicklerTests(WeightFixtures fixtures)
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void PythonPicklesOfPlainValuesReadBack(int protocol)
    {
        // The values of plain_values() in make_weight_fixtures.py.
        var dict = Assert.IsType<PickleDict>(Load(File.ReadAllBytes(fixtures[$"values_protocol{protocol}.pkl"])));
        Assert.Equal(1L, Get(dict, "int"));
        Assert.Equal(-5L, Get(dict, "negative"));
        Assert.Equal(2147483649L, Get(dict, "int32"));
        Assert.Equal(BigInteger.Pow(2, 70), Get(dict, "big"));
        Assert.Equal(long.MinValue, Get(dict, "most_negative"));
        Assert.Equal(1.5, Get(dict, "float"));
        Assert.Equal("héllo ✓", Get(dict, "text"));
        Assert.Equal(new byte[] { 0, 1, 255 }, Get(dict, "bytes"));
        var list = Assert.IsType<List<object?>>(Get(dict, "list"));
        Assert.Equal(1L, list[0]);
        Assert.Equal([2L, 3L], Assert.IsType<List<object?>>(list[1]));
        Assert.Equal([4L, 5L], Assert.IsType<object?[]>(list[2]));
        Assert.Empty(Assert.IsType<object?[]>(Get(dict, "empty_tuple")));
        Assert.Null(Get(dict, "none"));
        Assert.Equal(true, Get(dict, "true"));
        Assert.Equal(false, Get(dict, "false"));
        Assert.Equal("v", Get(Assert.IsType<PickleDict>(Get(dict, "nested")), "k"));
        Assert.Equal("int key", Get(dict, 7L));
        Assert.Equal("tuple key", Get(dict, new object?[] { 1L, 2L }));
        Assert.Same(Get(dict, "shared"), Get(dict, "shared_again")); // the memo keeps identity
    }

    [Fact]
    public void SelfReferenceDoesNotHang()
    {
        // EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP: a list that contains itself.
        var list = Assert.IsType<List<object?>>(Load([0x80, 2, (byte)']', (byte)'q', 0, (byte)'h', 0, (byte)'a', (byte)'.']));
        Assert.Same(list, list[0]);

        var error = Assert.Throws<WeightFileException>(() => StateDict.Load(fixtures["cyclic.pth"]));
        Assert.Contains("holds no state dict", error.Message);
    }

    [Theory]
    [InlineData("cos\nsystem\n.", "os.system")] // GLOBAL, never even called
    [InlineData("(ios\nsystem\nS'x'\n.", "os.system")] // INST
    [InlineData("cbuiltins\ngetattr\n.", "builtins.getattr")]
    [InlineData("ctorch\nload\n.", "torch.load")]
    public void ForbiddenGlobalIsRefusedWhereItIsNamed(string pickle, string global)
    {
        var error = Assert.Throws<UnsafePickleException>(() => Load(Encoding.ASCII.GetBytes(pickle)));
        Assert.Equal(global, error.Global);
        Assert.Contains("memory.pkl", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 2, (byte)'X', 0xff, 0, 0, 0, (byte)'a' }, "truncated")]
    [InlineData(new byte[] { 0x80, 2, (byte)'N' }, "truncated")]
    [InlineData(new byte[] { 0x80, 2, (byte)'t', (byte)'.' }, "no MARK")]
    [InlineData(new byte[] { 0x80, 2, (byte)'N', (byte)'a', (byte)'.' }, "stack is empty")]
    [InlineData(new byte[] { 0x80, 2, (byte)'N', (byte)'N', (byte)'a', (byte)'.' }, "APPEND expects a list on the stack, found None")]
    [InlineData(new byte[] { 0x80, 2, (byte)'h', 5, (byte)'.' }, "memo entry 5")]
    [InlineData(new byte[] { 0x80, 2, 0x82, 1, (byte)'.' }, "unsupported pickle opcode 0x82")]
    [InlineData(new byte[] { 0x80, 2, (byte)'N', (byte)')', (byte)'R', (byte)'.' }, "None cannot be called")]
    public void MalformedPickleIsExplained(byte[] pickle, string expected)
    {
        var error = Assert.Throws<WeightFileException>(() => Load(pickle));
        Assert.Contains(expected, error.Message);
        Assert.Contains("at byte", error.Message);
    }

    [Fact]
    public void RandomDamageToARealPickleIsAlwaysExplained()
    {
        byte[] original;
        using (var zip = ZipFile.OpenRead(fixtures["module.pth"]))
        using (var stream = zip.GetEntry("module/data.pkl")!.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            original = copy.ToArray();
        }
        Assert.IsType<PickleDict>(Load(original, id => new TorchStorageReference("0", TorchSharp.torch.ScalarType.Float32, 1000)));
        var random = new Random(2024);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] damaged = (byte[])original.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--) damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                Load(damaged, id => new TorchStorageReference("0", TorchSharp.torch.ScalarType.Float32, 1000));
            }
            catch (WeightFileException)
            {
                // Expected for most damage; anything else (crash, hang, other exception) fails the test.
            }
        }
    }

    private static object? Get(PickleDict dict, object key) =>
        dict.TryGetValue(key, out object? value) ? value : throw new KeyNotFoundException(key.ToString());

    private static object? Load(byte[] pickle, Func<object?, object?>? persistent = null) =>
        new RestrictedUnpickler("memory.pkl", TorchPickleGlobals.Resolve, persistent).Load(pickle);
}
