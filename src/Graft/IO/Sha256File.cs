using System.Security.Cryptography;

namespace Graft.IO;

/// <summary>SHA-256 of files, compared against a full hash or a prefix of one.</summary>
public static class Sha256File
{
    /// <summary>The file's SHA-256 in lower-case hex.</summary>
    public static string Compute(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Whether <paramref name="actual"/> (64 hex digits) starts with <paramref name="expected"/> (8–64).</summary>
    public static bool Matches(string actual, string expected) =>
        actual.StartsWith(expected, StringComparison.OrdinalIgnoreCase);
}
