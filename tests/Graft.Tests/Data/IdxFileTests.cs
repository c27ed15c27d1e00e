using System.IO.Compression;
using Graft.Data;

namespace Graft.Tests.Data;

public class IdxFileTests
{
    private static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (int d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    [Fact]
    public void ReadsPlainAndGzippedFilesWithBigEndianDimensions()
    {
        using var temp = new TempFolder();
        byte[] data = Enumerable.Range(0, 2 * 3 * 260).Select(i => (byte)(i * 7)).ToArray();
        byte[] idx = Idx(0x08, [2, 3, 260], data);
        File.WriteAllBytes(temp["plain"], idx);
        using (var gz = new GZipStream(File.Create(temp["packed.gz"]), CompressionLevel.Optimal)) gz.Write(idx);

        foreach (string name in new[] { "plain", "packed.gz" })
        {
            IdxFile file = IdxFile.Read(temp[name]);
            Assert.Equal([2, 3, 260], file.Dimensions);
            Assert.Equal(data, file.Data);
        }
    }

    [Fact]
    public void RejectsMalformedFilesWithAReason()
    {
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxFile.Parse([1, 2, 8, 1], "x")).Message);
        Assert.Contains("type 0x0D", Assert.Throws<InvalidDataException>(() => IdxFile.Parse(Idx(0x0D, [1], [0, 0, 0, 0]), "x")).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxFile.Parse(Idx(0x08, [10], new byte[9]), "x")).Message);
        Assert.Contains("trailing", Assert.Throws<InvalidDataException>(() => IdxFile.Parse(Idx(0x08, [10], new byte[11]), "x")).Message);
    }
}
