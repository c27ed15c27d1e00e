namespace Graft.Weights;

/// <summary>
/// A strict load whose keys or shapes did not match the model. Lists every missing, unexpected and
/// shape-mismatched key at once; nothing was copied into the model.
/// </summary>
public sealed class StateDictMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception from the report of what did not match.</summary>
    public StateDictMismatchException(LoadReport report, string? source)
        : base($"The weights{(source is null ? "" : $" in {source}")} do not match the model; nothing was loaded. " +
               "Fix the keys (remap), or load non-strictly to take only what matches.\n" + report)
    {
        Report = report;
    }

    /// <summary>What matched and what did not.</summary>
    public LoadReport Report { get; }
}
