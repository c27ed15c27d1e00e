namespace Graft.Data;

/// <summary>A sample the loader could not read and left out.</summary>
/// <param name="Index">Its index in the source.</param>
/// <param name="Name">Its file path or description.</param>
/// <param name="Reason">Why it could not be read.</param>
public sealed record SkippedSample(int Index, string Name, string Reason);
