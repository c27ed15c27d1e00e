namespace Graft.IO;

/// <summary>
/// A file that is not in the cache and cannot be downloaded now (offline mode, or the network or server
/// unreachable). The message says exactly which URL to fetch by hand and where to put it.
/// </summary>
public sealed class FileUnavailableException : DownloadException
{
    /// <summary>Creates the exception; <paramref name="reason"/> says why the network was not used or failed.</summary>
    public FileUnavailableException(string url, string destination, string reason, Exception? inner = null)
        : base(url, destination, $"{destination} is not in the cache and cannot be downloaded: {reason}. {ByHand(url, destination)}", inner)
    {
        Reason = reason;
    }

    /// <summary>Why the file could not be fetched.</summary>
    public string Reason { get; }
}
