namespace Graft.Weights;

/// <summary>The kinds of weight file Graft recognises by their first bytes.</summary>
public enum WeightFormat
{
    /// <summary>Neither of the formats below.</summary>
    Unknown,

    /// <summary>safetensors: 8-byte header length, JSON header, raw data.</summary>
    SafeTensors,

    /// <summary>A <c>torch.save</c> zip archive (PyTorch 1.6 and later).</summary>
    TorchZip,

    /// <summary>A bare pickle from <c>torch.save</c> before PyTorch 1.6 (not read; must be re-saved).</summary>
    TorchLegacy,
}
