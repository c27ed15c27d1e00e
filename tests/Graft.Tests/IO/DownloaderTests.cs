using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Graft.IO;

namespace Graft.Tests.IO;

/// <summary>Downloads from an HTTP server on 127.0.0.1 started by each test; no other network is used.</summary>
public sealed class DownloaderTests : IDisposable
{
    private readonly LocalHttpServer _server = new();
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"graft-cache-test-{Guid.NewGuid():N}");
    private readonly byte[] _content = RandomBytes(300_000, seed: 5);

    public DownloaderTests() => _server.Files["/weights/model-abc.pth"] = _content;

    [Fact]
    public void FetchDownloadsVerifiesAndThenUsesTheCache()
    {
        RemoteFile remote = Remote(Sha256Of(_content));
        var reports = new List<(long Done, long? Total)>();

        string path = Downloader.Fetch(remote, Options(), (done, total) => reports.Add((done, total)));

        Assert.Equal(Path.Combine(_cache, "model-abc.pth"), path);
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal((_content.Length, (long?)_content.Length), reports[^1]);
        Assert.True(reports.Select(r => r.Done).SequenceEqual(reports.Select(r => r.Done).Order()), "progress went backwards");
        Assert.Equal(["model-abc.pth"], CacheFiles()); // no temporary files left behind

        Assert.Equal(path, Downloader.Fetch(remote, Options()));
        Assert.Single(_server.Requests); // the second fetch was a cache hit
    }

    [Fact]
    public void EightDigitHashPrefixIsEnough()
    {
        string path = Downloader.Fetch(Remote(Sha256Of(_content)[..8]), Options());
        Assert.Equal(_content, File.ReadAllBytes(path));
    }

    [Fact]
    public void WrongHashIsRefusedAndNothingIsCached()
    {
        string wrong = Sha256Of([1, 2, 3]);
        var error = Assert.Throws<ChecksumMismatchException>(() => Downloader.Fetch(Remote(wrong), Options()));

        Assert.Equal(Sha256Of(_content), error.Actual);
        Assert.Contains(wrong, error.Message);
        Assert.Empty(CacheFiles());
        Assert.Single(_server.Requests); // a bad hash is not retried
    }

    [Fact]
    public void CutConnectionLeavesNoTornFileAndTheNextFetchResumes()
    {
        _server.CutsRemaining = 1;
        _server.CutAfterBytes = 100_000;
        RemoteFile remote = Remote(Sha256Of(_content));

        var error = Assert.Throws<FileUnavailableException>(() => Downloader.Fetch(remote, Options() with { Retries = 0 }));
        Assert.False(File.Exists(Path.Combine(_cache, "model-abc.pth")), "a torn file reached the cache");
        Assert.Contains("resumes", error.Message);

        string path = Downloader.Fetch(remote, Options());
        Assert.Equal(_content, File.ReadAllBytes(path));
        var requests = _server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Null(requests[0].Range);
        Assert.Equal("Range: bytes=100000-", requests[1].Range);
        Assert.Equal(["model-abc.pth"], CacheFiles());
    }

    [Fact]
    public void CutConnectionRestartsWhenTheServerCannotResume()
    {
        _server.SupportsRange = false;
        _server.CutsRemaining = 1;
        _server.CutAfterBytes = 100_000;

        string path = Downloader.Fetch(Remote(Sha256Of(_content)), Options() with { Retries = 1 }); // one call, retried inside
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public void SilentServerCountsAsAFailureAndTheRetryResumes()
    {
        _server.CutsRemaining = 1;
        _server.CutAfterBytes = 50_000;
        _server.StallInsteadOfClosing = true;

        string path = Downloader.Fetch(Remote(Sha256Of(_content)), Options() with { Retries = 3, StallTimeout = TimeSpan.FromSeconds(1.5) });
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal("Range: bytes=50000-", _server.Requests.ToArray()[1].Range);
    }

    [Fact]
    public void StalePartialFileFromAnotherVersionIsDiscarded()
    {
        Directory.CreateDirectory(_cache);
        File.WriteAllBytes(Path.Combine(_cache, "model-abc.pth.partial"), RandomBytes(1000, seed: 9));

        string path = Downloader.Fetch(Remote(Sha256Of(_content)), Options() with { Retries = 0 });
        Assert.Equal(_content, File.ReadAllBytes(path));
        Assert.Equal(2, _server.Requests.Count); // resumed, failed verification, restarted from zero
    }

    [Fact]
    public void CorruptCachedFileIsReplaced()
    {
        Directory.CreateDirectory(_cache);
        File.WriteAllBytes(Path.Combine(_cache, "model-abc.pth"), RandomBytes(10, seed: 1));
        string path = Downloader.Fetch(Remote(Sha256Of(_content)), Options());
        Assert.Equal(_content, File.ReadAllBytes(path));
    }

    [Fact]
    public void FileChangedAfterCachingIsCheckedAgain()
    {
        RemoteFile remote = Remote(Sha256Of(_content));
        string path = Downloader.Fetch(remote, Options());
        File.AppendAllText(path, "tampered");

        Assert.Equal(_content, File.ReadAllBytes(Downloader.Fetch(remote, Options())));
        Assert.Equal(2, _server.Requests.Count);

        File.AppendAllText(path, "tampered");
        var error = Assert.Throws<FileUnavailableException>(() => Downloader.Fetch(remote, Options() with { Offline = true }));
        Assert.Contains("failed its SHA-256 check", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void FilePlacedByHandIsAcceptedWhenItsHashMatches()
    {
        Directory.CreateDirectory(_cache);
        File.WriteAllBytes(Path.Combine(_cache, "model-abc.pth"), _content);
        Assert.Equal(_content, File.ReadAllBytes(Downloader.Fetch(Remote(Sha256Of(_content)), Options() with { Offline = true })));
    }

    [Fact]
    public void OfflineUsesTheCacheWithoutTheNetwork()
    {
        RemoteFile remote = Remote(Sha256Of(_content));
        Downloader.Fetch(remote, Options());
        int before = _server.Requests.Count;
        Assert.Equal(Downloader.CachedPath(remote, Options()), Downloader.Fetch(remote, Options() with { Offline = true }));
        Assert.Equal(before, _server.Requests.Count);
    }

    [Fact]
    public void OfflineWithoutCacheSaysWhatToFetchAndWhere()
    {
        RemoteFile remote = Remote(Sha256Of(_content));
        var error = Assert.Throws<FileUnavailableException>(() => Downloader.Fetch(remote, Options() with { Offline = true }));

        Assert.Contains(remote.Url, error.Message);
        Assert.Contains(Path.Combine(_cache, "model-abc.pth"), error.Message);
        Assert.Contains("offline", error.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void UnreachableServerSaysWhatToFetchAndWhere()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: connection refused
        var remote = new RemoteFile($"http://127.0.0.1:{port}/x-12345678.pth", "x-12345678.pth", "12345678");

        var error = Assert.Throws<FileUnavailableException>(() => Downloader.Fetch(remote, Options() with { Retries = 1 }));

        Assert.Contains(remote.Url, error.Message);
        Assert.Contains(Path.Combine(_cache, "x-12345678.pth"), error.Message);
        Assert.Contains("could not be reached", error.Message);
        Assert.Contains("by hand", error.Message);
    }

    [Fact]
    public void MissingFileOnTheServerIsNotRetried()
    {
        var remote = new RemoteFile(_server.UrlFor("/nope.pth"), "nope.pth", "12345678");
        var error = Assert.Throws<DownloadException>(() => Downloader.Fetch(remote, Options()));
        Assert.Contains("404", error.Message);
        Assert.Single(_server.Requests);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public void OfflineFlagIsReadFromTheEnvironmentValue()
    {
        Assert.True(DownloadOptions.IsOfflineFlag("1"));
        Assert.True(DownloadOptions.IsOfflineFlag(" TRUE "));
        Assert.True(DownloadOptions.IsOfflineFlag("yes"));
        Assert.False(DownloadOptions.IsOfflineFlag("0"));
        Assert.False(DownloadOptions.IsOfflineFlag(null));
    }

    /// <summary>The cache's files, without the stamps recording verified hashes.</summary>
    private string[] CacheFiles() => Directory.Exists(_cache)
        ? Directory.GetFiles(_cache).Select(p => Path.GetFileName(p)).Where(n => !n.EndsWith(".sha256", StringComparison.Ordinal)).Order().ToArray()
        : [];

    private RemoteFile Remote(string sha256) => new(_server.UrlFor("/weights/model-abc.pth"), "model-abc.pth", sha256);

    private DownloadOptions Options() => new() { CacheFolder = _cache, Offline = false };

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        _server.Dispose();
        try { Directory.Delete(_cache, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
