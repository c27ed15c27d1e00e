using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Graft.IO;

/// <summary>
/// Downloads files into a cache folder and hands out their local paths. A file is only ever placed in the cache
/// after its SHA-256 has been checked, by renaming a finished temporary file, so the cache never holds a torn or
/// unverified file; a cached file is checked again whenever it changed since (see <see cref="VerifiedStamp"/>).
/// Interrupted downloads resume with an HTTP Range request when the server allows it.
/// </summary>
public static class Downloader
{
    private const int BufferBytes = 1 << 16;

    private static readonly Lazy<HttpClient> SharedClient = new(() =>
        new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None, // bytes must arrive exactly as hashed
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // large files; stalls are caught per read instead
            DefaultRequestHeaders = { { "User-Agent", "Graft" } },
        });

    /// <summary>Where <paramref name="remote"/> is (or would be) cached.</summary>
    public static string CachedPath(RemoteFile remote, DownloadOptions? options = null) =>
        Path.Combine((options ?? DownloadOptions.Default).ResolvedCacheFolder, remote.FileName);

    /// <summary>Returns the local path of <paramref name="remote"/>, downloading it first when not cached.</summary>
    /// <inheritdoc cref="FetchAsync" path="/param"/>
    /// <inheritdoc cref="FetchAsync" path="/exception"/>
    public static string Fetch(RemoteFile remote, DownloadOptions? options = null, DownloadProgress? progress = null,
        CancellationToken cancellation = default) =>
        FetchAsync(remote, options, progress, cancellation).GetAwaiter().GetResult();

    /// <summary>
    /// Returns the local path of <paramref name="remote"/>. A cached copy is used when its SHA-256 matches (a copy
    /// that does not match is deleted and fetched again); otherwise the file is downloaded, verified and cached.
    /// A file placed in the cache by hand is accepted once its hash matches.
    /// </summary>
    /// <param name="remote">What to fetch.</param>
    /// <param name="options">Cache folder, offline mode, retries; null for <see cref="DownloadOptions.Default"/>.</param>
    /// <param name="progress">Called as bytes arrive (from the network thread).</param>
    /// <param name="cancellation">Stops the download; the partial file is kept for resuming.</param>
    /// <exception cref="FileUnavailableException">Offline, or the network or server failed; says how to fetch by hand.</exception>
    /// <exception cref="ChecksumMismatchException">When the downloaded file's SHA-256 is wrong (nothing is cached).</exception>
    /// <exception cref="DownloadException">When the server refuses the request (e.g. 404).</exception>
    public static async Task<string> FetchAsync(RemoteFile remote, DownloadOptions? options = null,
        DownloadProgress? progress = null, CancellationToken cancellation = default)
    {
        options ??= DownloadOptions.Default;
        string target = CachedPath(remote, options);
        string? cacheNote = null;
        if (File.Exists(target))
        {
            if (VerifiedStamp.Check(target, remote.Sha256)) return target;
            File.Delete(target);
            VerifiedStamp.Delete(target);
            cacheNote = " (the cached copy failed its SHA-256 check and was deleted)";
        }
        if (options.IsOffline)
            throw new FileUnavailableException(remote.Url, target,
                $"offline mode is on ({DownloadOptions.OfflineVariable} or DownloadOptions.Offline){cacheNote}");

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var attempt = new Attempt(remote, target, options, progress);
        Exception? lastFailure = null;
        bool restartedAfterBadResume = false;
        for (int tries = 0; tries <= options.Retries; tries++)
        {
            try
            {
                await attempt.RunAsync(cancellation).ConfigureAwait(false);
                return target;
            }
            catch (ResumedFileCorruptException) when (!restartedAfterBadResume)
            {
                restartedAfterBadResume = true; // stale partial file: one fresh try, not counted
                tries--;
            }
            catch (Exception e) when (IsTransient(e, cancellation))
            {
                lastFailure = e;
                if (tries < options.Retries) await Task.Delay(TimeSpan.FromMilliseconds(250 << tries), cancellation).ConfigureAwait(false);
            }
        }
        throw new FileUnavailableException(remote.Url, target, DescribeFailure(lastFailure!, attempt.PartialPath), lastFailure);
    }

    private static bool IsTransient(Exception e, CancellationToken cancellation) => e switch
    {
        DownloadException => false,
        OperationCanceledException => !cancellation.IsCancellationRequested, // a stall, not the caller
        HttpRequestException or IOException => true,
        _ => false,
    };

    private static string DescribeFailure(Exception failure, string partialPath)
    {
        string reason = failure switch
        {
            HttpRequestException { InnerException: SocketException socket } => $"the server could not be reached ({socket.SocketErrorCode})",
            HttpRequestException { StatusCode: { } status } => $"the server answered {(int)status} {status}",
            OperationCanceledException => "the server stopped sending data",
            _ => failure.Message.TrimEnd('.'),
        };
        long partial = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
        return partial > 0 ? $"{reason}; {partial} bytes are kept and the next attempt resumes from there" : reason;
    }

    /// <summary>A resumed download whose hash was wrong: the stale part was deleted and a fresh try is due.</summary>
    private sealed class ResumedFileCorruptException() : IOException("the resumed download failed verification");

    /// <summary>One file's download: the partial file, the HTTP exchange, verification and the final rename.</summary>
    private sealed class Attempt(RemoteFile remote, string target, DownloadOptions options, DownloadProgress? progress)
    {
        public string PartialPath { get; private set; } = target + ".partial";

        public async Task RunAsync(CancellationToken cancellation)
        {
            long resumedFrom;
            using (FileStream file = OpenPartial())
            {
                resumedFrom = file.Length;
                try
                {
                    await DownloadIntoAsync(file, cancellation).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                }
                catch when (file.Length == 0)
                {
                    file.Dispose();
                    File.Delete(PartialPath); // nothing worth resuming
                    throw;
                }
            }
            string actual = Sha256File.Compute(PartialPath);
            if (!Sha256File.Matches(actual, remote.Sha256))
            {
                File.Delete(PartialPath);
                if (resumedFrom > 0) throw new ResumedFileCorruptException();
                throw new ChecksumMismatchException(remote.Url, target, remote.Sha256, actual);
            }
            VerifiedStamp.Delete(target);
            File.Move(PartialPath, target, overwrite: true);
            VerifiedStamp.Write(target, actual);
        }

        /// <summary>The resumable partial file, or a private temporary one if another process holds it.</summary>
        private FileStream OpenPartial()
        {
            try
            {
                return new FileStream(PartialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, BufferBytes);
            }
            catch (IOException) when (File.Exists(PartialPath))
            {
                PartialPath = AtomicFile.TempNameFor(target);
                return new FileStream(PartialPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferBytes);
            }
        }

        private async Task DownloadIntoAsync(FileStream file, CancellationToken cancellation)
        {
            HttpClient client = options.HttpClient ?? SharedClient.Value;
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            long existing = file.Length;
            using var request = new HttpRequestMessage(HttpMethod.Get, remote.Url);
            if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);

            stall.CancelAfter(options.StallTimeout);
            using HttpResponseMessage response = await client
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);

            long? total;
            if (response.StatusCode == HttpStatusCode.PartialContent && existing > 0
                && response.Content.Headers.ContentRange is { From: { } from } range && from == existing)
            {
                total = range.Length ?? existing + response.Content.Headers.ContentLength;
                file.Seek(existing, SeekOrigin.Begin);
            }
            else if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
            {
                // Usually the partial file is already complete; verification decides.
                progress?.Invoke(existing, existing);
                return;
            }
            else if (response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.PartialContent)
            {
                total = response.Content.Headers.ContentLength; // the server ignored the range: start over
                file.SetLength(0);
            }
            else
            {
                int code = (int)response.StatusCode;
                if (code >= 500 || code is 408 or 429 || response.StatusCode == HttpStatusCode.PartialContent)
                    throw new HttpRequestException($"the server answered {code} {response.ReasonPhrase}", null, response.StatusCode);
                throw new DownloadException(remote.Url, target,
                    $"The server refused {remote.Url}: {code} {response.ReasonPhrase}. {DownloadException.ByHand(remote.Url, target)}");
            }

            progress?.Invoke(file.Position, total);
            await using Stream body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            var buffer = new byte[BufferBytes];
            while (true)
            {
                stall.CancelAfter(options.StallTimeout);
                int read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (read == 0) break;
                await file.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                progress?.Invoke(file.Position, total);
            }
            if (total is { } expected && file.Length != expected)
                throw new IOException($"the connection closed after {file.Length} of {expected} bytes");
        }
    }
}
