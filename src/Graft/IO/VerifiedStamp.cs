using System.Globalization;

namespace Graft.IO;

/// <summary>
/// Remembers that a cached file passed its SHA-256 check, in a small <c>&lt;file&gt;.sha256</c> beside it holding
/// the hash, length and modification time. While the file keeps that length and time, later uses skip re-hashing
/// (0.3 s per 100 MB here); any change to the file makes it be hashed again.
/// </summary>
internal static class VerifiedStamp
{
    public const string Extension = ".sha256";

    /// <summary>Whether <paramref name="path"/> matches <paramref name="expected"/>, hashing only when the stamp is stale.</summary>
    public static bool Check(string path, string expected)
    {
        var file = new FileInfo(path);
        string stampPath = path + Extension;
        if (TryRead(stampPath) is { } stamp && stamp.Length == file.Length && stamp.Ticks == file.LastWriteTimeUtc.Ticks)
            return Sha256File.Matches(stamp.Hash, expected);
        string actual = Sha256File.Compute(path);
        bool matches = Sha256File.Matches(actual, expected);
        if (matches) Write(path, actual);
        return matches;
    }

    /// <summary>Records that <paramref name="path"/> has hash <paramref name="sha256"/> as it is now.</summary>
    public static void Write(string path, string sha256)
    {
        var file = new FileInfo(path);
        try
        {
            AtomicFile.WriteAllText(path + Extension,
                $"{sha256} {file.Length.ToString(CultureInfo.InvariantCulture)} {file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still works; files are just hashed on every use.
        }
    }

    /// <summary>Removes the stamp of a file that is being replaced or deleted.</summary>
    public static void Delete(string path) => File.Delete(path + Extension);

    private static (string Hash, long Length, long Ticks)? TryRead(string stampPath)
    {
        try
        {
            string[] parts = File.ReadAllText(stampPath).Split(' ', StringSplitOptions.TrimEntries);
            return parts.Length == 3
                   && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long length)
                   && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
                ? (parts[0], length, ticks)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
