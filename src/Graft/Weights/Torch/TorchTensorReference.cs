namespace Graft.Weights.Torch;

/// <summary>
/// A tensor described by <c>torch._utils._rebuild_tensor_v2</c>: a strided view into a storage. Tensors are only
/// read from the archive once the caller has picked which ones it wants.
/// </summary>
/// <param name="Storage">The storage viewed.</param>
/// <param name="Offset">Offset of the first element, in elements.</param>
/// <param name="Size">Shape.</param>
/// <param name="Stride">Stride of each dimension, in elements.</param>
internal sealed record TorchTensorReference(TorchStorageReference Storage, long Offset, long[] Size, long[] Stride)
{
    /// <summary>Whether the view is exactly the whole storage in row-major order (so it can be read in place).</summary>
    public bool CoversWholeStorageContiguously
    {
        get
        {
            if (Offset != 0 || ElementCount != Storage.ElementCount) return false;
            long expected = 1;
            for (int i = Size.Length - 1; i >= 0; i--)
            {
                if (Size[i] != 1 && Stride[i] != expected) return false;
                expected *= Size[i];
            }
            return true;
        }
    }

    /// <summary>The number of elements of the view.</summary>
    public long ElementCount => Size.Aggregate(1L, (product, dim) => checked(product * dim));
}
