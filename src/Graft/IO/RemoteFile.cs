using System.Text.RegularExpressions;

namespace Graft.IO;

/// <summary>
/// A file to download: where from, what to call it in the cache, and the SHA-256 it must have. The hash may be
/// given in full (64 hex digits) or as a prefix of at least 8, as torchvision does: its weight files are named
/// <c>name-&lt;first 8 hex digits of the SHA-256&gt;.pth</c>.
/// </summary>
public sealed partial record RemoteFile
{
    /// <summary>Creates a remote file description.</summary>
    /// <exception cref="ArgumentException">When the URL is not http(s), the file name is not a plain name, or the hash is not 8–64 hex digits.</exception>
    public RemoteFile(string url, string fileName, string sha256)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{url}' is not an http(s) URL.", nameof(url));
        if (string.IsNullOrWhiteSpace(fileName) || fileName is "." or ".." || fileName.IndexOfAny(['/', '\\']) >= 0
            || fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{fileName}' is not a plain file name.", nameof(fileName));
        if (!HexHash().IsMatch(sha256))
            throw new ArgumentException($"'{sha256}' is not a SHA-256 (64 hex digits) or a prefix of at least 8.", nameof(sha256));
        Url = url;
        FileName = fileName;
        Sha256 = sha256.ToLowerInvariant();
    }

    /// <summary>Where to download from.</summary>
    public string Url { get; }

    /// <summary>The name of the file in the cache.</summary>
    public string FileName { get; }

    /// <summary>The expected SHA-256 in lower-case hex, in full or as a prefix of at least 8 digits.</summary>
    public string Sha256 { get; }

    /// <summary>
    /// Describes a URL whose file name carries its hash, torchvision style (<c>resnet50-0676ba61.pth</c>), unless
    /// <paramref name="sha256"/> is given.
    /// </summary>
    /// <exception cref="ArgumentException">When no hash is given and the file name carries none.</exception>
    public static RemoteFile FromUrl(string url, string? sha256 = null)
    {
        string fileName = Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
            ? Uri.UnescapeDataString(uri.Segments[^1])
            : throw new ArgumentException($"'{url}' is not an absolute URL.", nameof(url));
        if (sha256 is null)
        {
            Match match = HashInName().Match(fileName);
            if (!match.Success)
                throw new ArgumentException(
                    $"'{fileName}' does not end in '-<hash>.<ext>'; give the file's SHA-256 to download it.", nameof(sha256));
            sha256 = match.Groups[1].Value;
        }
        return new RemoteFile(url, fileName, sha256);
    }

    [GeneratedRegex("^[0-9a-fA-F]{8,64}$")]
    private static partial Regex HexHash();

    /// <summary>torch.hub's rule: the hex digits between the last '-' and the following '.'.</summary>
    [GeneratedRegex(@"-([0-9a-f]{8,64})\.[^-]*$")]
    private static partial Regex HashInName();
}
