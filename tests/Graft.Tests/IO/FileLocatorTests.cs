using System.Security.Cryptography;
using Graft.IO;

namespace Graft.Tests.IO;

public sealed class FileLocatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graft-locator-").FullName;

    [Fact]
    public void ExistingPathIsUsedAsItIs()
    {
        string file = Path.Combine(_folder, "local.safetensors");
        File.WriteAllText(file, "x");
        Assert.Equal(file, FileLocator.Locate(file, _ => throw new InvalidOperationException("catalog consulted")));
    }

    [Fact]
    public void UrlAndCatalogNameAreDownloaded()
    {
        using var server = new LocalHttpServer();
        byte[] content = [1, 2, 3, 4, 5];
        string hash = Convert.ToHexStringLower(SHA256.HashData(content));
        string name = $"tiny-{hash[..8]}.pth";
        server.Files["/" + name] = content;
        var options = new DownloadOptions { CacheFolder = Path.Combine(_folder, "cache"), Offline = false };

        string fromUrl = FileLocator.Locate(server.UrlFor("/" + name), options: options);
        Assert.Equal(content, File.ReadAllBytes(fromUrl));

        var catalog = new Dictionary<string, RemoteFile> { ["tiny.v1"] = new(server.UrlFor("/" + name), "tiny-v1.pth", hash) };
        string fromName = FileLocator.Locate("tiny.v1", catalog.GetValueOrDefault, options);
        Assert.EndsWith("tiny-v1.pth", fromName);
        Assert.Equal(content, File.ReadAllBytes(fromName));
    }

    [Fact]
    public void UnknownReferenceIsExplained()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FileLocator.Locate("no-such-thing", _ => null));
        Assert.Contains("'no-such-thing'", error.Message);
        Assert.Contains("known weights name", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
