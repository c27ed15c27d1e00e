namespace Graft.Weights;

/// <summary>A key present in both the file and the model whose shapes differ.</summary>
/// <param name="Key">The model's key.</param>
/// <param name="FileShape">The shape stored in the file.</param>
/// <param name="ModelShape">The shape the model expects.</param>
public sealed record ShapeMismatch(string Key, long[] FileShape, long[] ModelShape)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Key}: file has [{string.Join(", ", FileShape)}], model expects [{string.Join(", ", ModelShape)}]";
}
