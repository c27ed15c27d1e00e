namespace Graft.Weights;

/// <summary>
/// A pickle that names a Python global outside Graft's allow-list (for example <c>os.system</c>). Graft refuses
/// at the moment the global is named, so nothing from the file ever runs: the unpickler only builds plain C#
/// values, and only for the handful of globals <c>torch.save</c> writes.
/// </summary>
public sealed class UnsafePickleException : WeightFileException
{
    /// <summary>Creates the exception for <paramref name="global"/> ("module.name") found in <paramref name="filePath"/>.</summary>
    public UnsafePickleException(string filePath, string global)
        : base(filePath,
            $"refused to load: the pickle references the Python global '{global}', which is not one of the types " +
            "torch.save writes for tensors and state dicts. Nothing was executed: Graft never runs code from weight " +
            "files. If you trust the file, re-save just the weights in Python with " +
            "torch.save(model.state_dict(), path) or as safetensors.")
    {
        Global = global;
    }

    /// <summary>The refused global, as "module.name".</summary>
    public string Global { get; }
}
