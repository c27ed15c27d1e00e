using System.Text;
using Graft.Weights;

namespace Graft.Tests.Weights;

/// <summary>Damaged or malformed files give a <see cref="WeightFileException"/> naming the file and the problem.</summary>
[Collection(WeightFixturesCollection.Name)]
public sealed class CorruptFileTests(WeightFixtures fixtures)
{
    private const string TwoTensors =
        """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1],"data_offsets":[8,16]}}""";

    [Fact]
    public void HandMadeFileLoads()
    {
        // The baseline the other cases damage: proves the helper builds valid files.
        using StateDict loaded = SafeTensors.Read(Write(TwoTensors, dataBytes: 16));
        Assert.Equal(2, loaded.Count);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}""", 8, "tensor 'a' has dtype 'F33'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", 8, "not valid JSON")]
    [InlineData("""[1, 2]""", 0, "not a JSON object")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,80]}}""", 8, "hold 80 bytes, but shape [2] of F32 needs 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[20],"data_offsets":[0,80]}}""", 8, "run past the end of the data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "leave a gap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12, "trailing bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "non-negative integers")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "begin <= end")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2]}}""", 8, "'data_offsets'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "lists 'a' twice")]
    [InlineData("""{"__metadata__":{"n":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "must be a string")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}""", 8, "impossibly large")]
    public void MalformedHeaderIsExplained(string header, int dataBytes, string expected)
    {
        string path = Write(header, dataBytes);
        var error = Assert.Throws<WeightFileException>(() => SafeTensors.Read(path));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsExplained()
    {
        string path = Write(TwoTensors, 16);
        byte[] bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)bytes.Length * 3);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<WeightFileException>(() => SafeTensors.Read(path));
        Assert.Contains("header length field says", error.Message);
    }

    [Theory]
    [InlineData("module_io.safetensors", 7)]
    [InlineData("module.pth", 13)]
    public void EveryTruncationIsExplained(string fixture, int step)
    {
        byte[] whole = File.ReadAllBytes(fixtures[fixture]);
        string path = TempFile();
        for (int length = 0; length < whole.Length; length += step)
        {
            File.WriteAllBytes(path, whole[..length]);
            var error = Assert.Throws<WeightFileException>(() => StateDict.Load(path));
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void BitFlipsInAHeaderNeverCrash()
    {
        byte[] whole = File.ReadAllBytes(fixtures["module_io.safetensors"]);
        int headerEnd = 8 + (int)BitConverter.ToUInt64(whole, 0);
        string path = TempFile();
        int refused = 0;
        for (int position = 0; position < headerEnd; position++)
        {
            byte[] damaged = (byte[])whole.Clone();
            damaged[position] ^= (byte)(1 << (position % 8));
            File.WriteAllBytes(path, damaged);
            try
            {
                using StateDict loaded = SafeTensors.Read(path); // some flips (inside a name) leave a valid file
            }
            catch (WeightFileException e)
            {
                Assert.Contains(path, e.Message);
                refused++;
            }
        }
        Assert.True(refused > headerEnd / 2, $"only {refused} of {headerEnd} flips were refused");
    }

    [Fact]
    public void BitFlipsInACheckpointNeverCrash()
    {
        byte[] whole = File.ReadAllBytes(fixtures["module.pth"]);
        string path = TempFile();
        for (int position = 0; position < whole.Length; position += 3)
        {
            byte[] damaged = (byte[])whole.Clone();
            damaged[position] ^= (byte)(1 << (position % 8));
            File.WriteAllBytes(path, damaged);
            try
            {
                using StateDict loaded = StateDict.Load(path); // flips in tensor data leave a loadable file
            }
            catch (WeightFileException e)
            {
                Assert.Contains(path, e.Message);
            }
        }
    }

    [Fact]
    public void UnknownContentIsExplained()
    {
        string path = TempFile();
        File.WriteAllText(path, "this is not a weight file at all");
        var error = Assert.Throws<WeightFileException>(() => StateDict.Load(path));
        Assert.Contains("neither a safetensors file nor a PyTorch checkpoint", error.Message);

        var missing = Assert.Throws<WeightFileException>(() => StateDict.Load(path + ".missing"));
        Assert.Contains(".missing", missing.Message);
    }

    private string Write(string header, int dataBytes)
    {
        string path = TempFile();
        byte[] json = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)json.Length));
        stream.Write(json);
        stream.Write(new byte[dataBytes]);
        return path;
    }

    private string TempFile() => Path.Combine(fixtures.Folder, $"corrupt-{Guid.NewGuid():N}.bin");
}
