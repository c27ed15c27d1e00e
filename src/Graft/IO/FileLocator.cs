namespace Graft.IO;

/// <summary>
/// Turns what a user typed where a weight file is expected into a local path: an existing file path is used as
/// it is; an http(s) URL is downloaded through the cache; anything else is looked up in a catalog of known
/// names (e.g. the model zoo's weight names) and downloaded.
/// </summary>
public static class FileLocator
{
    /// <summary>Resolves <paramref name="reference"/> to a local file.</summary>
    /// <param name="reference">A file path (<c>~</c> allowed), an http(s) URL whose name carries its hash, or a catalog name.</param>
    /// <param name="catalog">Maps a name to the file it stands for, or null when unknown.</param>
    /// <param name="options">Download options for URLs and catalog names.</param>
    /// <param name="progress">Download progress, if a download happens.</param>
    /// <exception cref="FileNotFoundException">When the reference is none of the three.</exception>
    /// <exception cref="DownloadException">When a download is needed and fails.</exception>
    public static string Locate(string reference, Func<string, RemoteFile?>? catalog = null,
        DownloadOptions? options = null, DownloadProgress? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        string path = GraftHome.ExpandHome(reference.Trim());
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (Uri.TryCreate(reference, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return Downloader.Fetch(RemoteFile.FromUrl(reference), options, progress);
        if (catalog?.Invoke(reference) is { } remote) return Downloader.Fetch(remote, options, progress);
        throw new FileNotFoundException(
            $"'{reference}' is not an existing file, an http(s) URL{(catalog is null ? "" : " or a known weights name")}.", path);
    }
}
