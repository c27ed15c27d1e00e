namespace Graft.Data;

/// <summary>
/// One published file of a standard dataset, as data: where it lives, what it is called, and the hashes that
/// identify it.
/// </summary>
/// <param name="FileName">The file's name as published (e.g. <c>train-images-idx3-ubyte.gz</c>).</param>
/// <param name="Url">The canonical download address.</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of the file exactly as published at <see cref="Url"/>; a downloader checks this.</param>
/// <param name="Md5">MD5 the publisher lists for the file (kept for cross-checking with their README).</param>
/// <param name="ContentSha256">
/// SHA-256 of the decompressed content. Repackagers recompress (Debian's gzip files differ byte-wise from the
/// published ones) but the content is the same, so this is what Graft checks on files found on disk.
/// </param>
public sealed record DatasetFile(string FileName, Uri Url, string Sha256, string Md5, string ContentSha256)
{
    /// <summary>The file name without a trailing <c>.gz</c> (the name of the decompressed file).</summary>
    public string DecompressedName =>
        FileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? FileName[..^3] : FileName;
}
