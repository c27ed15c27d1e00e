namespace Graft.Data;

/// <summary>
/// A sample that cannot be read: a corrupt, truncated or non-image file. The loader catches it, skips the sample,
/// warns and counts it; training goes on.
/// </summary>
public sealed class BadImageException : Exception
{
    /// <summary>Creates the exception for the sample described by <paramref name="sample"/>.</summary>
    public BadImageException(string sample, string reason, Exception? inner = null)
        : base($"Cannot read image '{sample}': {reason}", inner)
    {
        Sample = sample;
        Reason = reason;
    }

    /// <summary>The file path (or other description) of the sample.</summary>
    public string Sample { get; }

    /// <summary>Why it could not be read.</summary>
    public string Reason { get; }
}
