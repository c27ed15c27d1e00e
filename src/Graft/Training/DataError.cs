namespace Graft.Training;

/// <summary>A sample a data source could not read and skipped, so a corrupt file costs one sample, not the run.</summary>
/// <param name="Source">Where the sample came from (file path, archive entry, record number).</param>
/// <param name="Message">What was wrong with it.</param>
public sealed record DataError(string Source, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Source}: {Message}";
}
