using System.IO.Compression;
using System.Text;

namespace Graft.Tests.Text;

/// <summary>A temporary folder deleted on dispose, with helpers to write test files (plain or gzipped).</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("graft-text-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/>, gzipped when <paramref name="gzip"/>.</summary>
    public string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = File(name);
        using var file = System.IO.File.Create(path);
        if (gzip)
        {
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(bytes);
        }
        else
        {
            file.Write(bytes);
        }
        return path;
    }

    /// <summary>Writes UTF-8 text (no BOM).</summary>
    public string Write(string name, string text, bool gzip = false) => Write(name, Encoding.UTF8.GetBytes(text), gzip);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
