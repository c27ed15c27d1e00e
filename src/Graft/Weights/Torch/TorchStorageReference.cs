using static TorchSharp.torch;

namespace Graft.Weights.Torch;

/// <summary>
/// A storage named by a persistent id in a <c>torch.save</c> pickle: its bytes are the archive record
/// <c>data/&lt;Key&gt;</c>. Several tensors may view the same storage; the unpickler hands out one instance per key.
/// </summary>
/// <param name="Key">The record name under <c>data/</c>.</param>
/// <param name="DType">Element type, from the storage class (e.g. <c>torch.HalfStorage</c>).</param>
/// <param name="ElementCount">Number of elements the storage holds.</param>
internal sealed record TorchStorageReference(string Key, ScalarType DType, long ElementCount);
