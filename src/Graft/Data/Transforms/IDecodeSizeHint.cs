namespace Graft.Data.Transforms;

/// <summary>A transform that tells the decoder how small an image it can accept (for reduced-size JPEG decoding).</summary>
public interface IDecodeSizeHint
{
    /// <summary>The smallest shorter side the transform's input may have without losing detail in its output.</summary>
    int MinimumShorterSide { get; }
}
