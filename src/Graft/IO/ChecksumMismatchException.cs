namespace Graft.IO;

/// <summary>
/// A downloaded file whose SHA-256 differs from the expected one. The file was deleted, never placed in the cache.
/// </summary>
public sealed class ChecksumMismatchException : DownloadException
{
    /// <summary>Creates the exception.</summary>
    public ChecksumMismatchException(string url, string destination, string expected, string actual)
        : base(url, destination,
            $"The file downloaded from {url} has SHA-256 {actual}, but {(expected.Length < 64 ? $"one starting with {expected}" : expected)} was expected; " +
            "it was deleted and not cached. Either the download was altered, or the publisher replaced the file " +
            "(then the expected hash needs updating).")
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The expected hash (full or prefix).</summary>
    public string Expected { get; }

    /// <summary>The hash of what was downloaded.</summary>
    public string Actual { get; }
}
