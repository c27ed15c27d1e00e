namespace Graft.IO;

/// <summary>A download that failed; the message names the URL and the cache path it was meant for.</summary>
public class DownloadException : IOException
{
    /// <summary>Creates the exception.</summary>
    public DownloadException(string url, string destination, string message, Exception? inner = null)
        : base(message, inner)
    {
        Url = url;
        Destination = destination;
    }

    /// <summary>The URL that was being fetched.</summary>
    public string Url { get; }

    /// <summary>Where the file belongs in the cache.</summary>
    public string Destination { get; }

    /// <summary>The sentence telling the user how to get the file without Graft's help.</summary>
    internal static string ByHand(string url, string destination) =>
        $"Fetch {url} by hand (e.g. curl -L -o \"{destination}\" \"{url}\") and save it as {destination}; Graft then uses it without the network.";
}
