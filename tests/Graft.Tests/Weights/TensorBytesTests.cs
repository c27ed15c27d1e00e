using Graft.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Weights;

/// <summary>The chunked path used for tensors over 1 GiB, exercised with small chunks.</summary>
public sealed class TensorBytesTests
{
    [Theory]
    [InlineData(1000)] // not a multiple of the element size's row
    [InlineData(8)]
    [InlineData(1)] // below one element: one element per chunk
    public void ChunkedWriteAndFillRoundTrip(long chunkBytes)
    {
        using var source = torch.arange(0, 2500, dtype: ScalarType.Int64).reshape(50, 50);
        var stream = new MemoryStream();
        TensorBytes.Write(source, stream, chunkBytes);
        Assert.Equal(2500 * 8, stream.Length);

        stream.Position = 0;
        using var back = torch.empty([50, 50], ScalarType.Int64);
        TensorBytes.Fill(back, stream, chunkBytes);
        Assert.True(TensorAssert.Same(source, back));
    }

    [Fact]
    public void ByteOrderSwapReversesEachElement()
    {
        using var value = torch.tensor(new short[] { 0x0102, 0x0304 });
        TensorBytes.SwapByteOrder(value);
        Assert.Equal([0x0201, 0x0403], value.data<short>().ToArray());
    }
}
