using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Graft.Tests.IO;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 for download tests, built on a raw socket so a test can cut a
/// response halfway. One request per connection; supports "Range: bytes=N-" unless told not to.
/// </summary>
public sealed partial class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>Served content by path ("/a.bin").</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    /// <summary>Every request received: path and Range header (null when none).</summary>
    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    /// <summary>Whether to honour Range requests (else always 200 with the whole file).</summary>
    public bool SupportsRange { get; set; } = true;

    /// <summary>The next this-many responses are cut after <see cref="CutAfterBytes"/> body bytes.</summary>
    public int CutsRemaining { get; set; }

    public int CutAfterBytes { get; set; }

    /// <summary>Whether a cut response goes silent (connection left open) instead of closing.</summary>
    public bool StallInsteadOfClosing { get; set; }

    public string UrlFor(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string head = await ReadHead(stream);
                string path = head.Split(' ')[1];
                Match range = RangeHeader().Match(head);
                Requests.Enqueue((path, range.Success ? range.Value.Trim() : null));

                if (!Files.TryGetValue(path, out byte[]? content))
                {
                    await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                long from = range.Success && SupportsRange ? long.Parse(range.Groups[1].Value) : 0;
                if (from >= content.Length && from > 0)
                {
                    await Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{content.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                byte[] body = content[(int)from..];
                string status = from > 0 ? "206 Partial Content" : "200 OK";
                string extra = from > 0 ? $"Content-Range: bytes {from}-{content.Length - 1}/{content.Length}\r\n" : "";
                string acceptRanges = SupportsRange ? "Accept-Ranges: bytes\r\n" : "";
                await Write(stream, $"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\n{extra}{acceptRanges}Connection: close\r\n\r\n");
                bool cut = false;
                lock (this)
                {
                    if (CutsRemaining > 0)
                    {
                        CutsRemaining--;
                        cut = true;
                    }
                }
                await stream.WriteAsync(cut ? body.AsMemory(0, Math.Min(CutAfterBytes, body.Length)) : body);
                await stream.FlushAsync();
                if (cut && StallInsteadOfClosing) await Task.Delay(Timeout.Infinite, _stop.Token);
                // A cut response simply ends here: the client sees the connection close before Content-Length bytes.
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client went away; nothing to do.
            }
        }
    }

    private static async Task<string> ReadHead(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16384)
        {
            if (await stream.ReadAsync(one) == 0) break;
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    [GeneratedRegex(@"(?im)^Range:\s*bytes=(\d+)-\s*$")]
    private static partial Regex RangeHeader();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
