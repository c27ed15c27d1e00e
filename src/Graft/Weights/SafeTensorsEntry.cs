using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>One tensor listed in a safetensors header: its element type, shape and byte range in the data section.</summary>
/// <param name="Name">The tensor's key.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="Begin">First byte, relative to the start of the data section.</param>
/// <param name="End">One past the last byte, relative to the start of the data section.</param>
public sealed record SafeTensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    /// <summary>The number of bytes the tensor occupies.</summary>
    public long ByteCount => End - Begin;
}
