using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScratchNet.Tests.Data;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 for the download tests: it serves byte arrays by path, honours
/// "Range: bytes=N-" with 206, and can misbehave on purpose (cut the connection after some bytes,
/// announce a size it never sends). One connection per request ("Connection: close").
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>"http://127.0.0.1:PORT/".</summary>
    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

    /// <summary>What each path answers: the body, and optionally how the answer misbehaves.</summary>
    public ConcurrentDictionary<string, Answer> Files { get; } = new();

    /// <summary>Every request received: its path and its Range header (null when none), in order.</summary>
    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    /// <summary>A file to serve. <paramref name="CutAfter"/>: close the connection after that many body bytes
    /// of the next <paramref name="Cuts"/> answers (the full size still announced); <paramref name="AnnouncedLength"/>:
    /// the Content-Length to claim instead of the body's.</summary>
    public sealed record Answer(byte[] Body, long? CutAfter = null, int Cuts = int.MaxValue, long? AnnouncedLength = null, bool IgnoreRange = false)
    {
        public int Served;
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens (connection refused).</summary>
    public static string DeadUrl()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/";
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private void Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string head = ReadHead(stream);
                string[] lines = head.Split("\r\n");
                string path = lines[0].Split(' ')[1].TrimStart('/');
                string? range = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Range", StringComparison.OrdinalIgnoreCase))
                    .Select(p => p[1].Trim()).FirstOrDefault();
                Requests.Enqueue((path, range));
                if (!Files.TryGetValue(path, out var answer))
                {
                    Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                int served = Interlocked.Increment(ref answer.Served);
                long from = 0;
                if (range != null && !answer.IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
                    from = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
                if (from > answer.Body.Length)
                {
                    Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{answer.Body.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }
                long length = answer.AnnouncedLength ?? answer.Body.Length - from;
                string status = from > 0 ? "206 Partial Content" : "200 OK";
                string contentRange = from > 0 ? $"Content-Range: bytes {from}-{answer.Body.Length - 1}/{answer.Body.Length}\r\n" : "";
                Write(stream, $"HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\n{contentRange}Connection: close\r\n\r\n");
                long send = answer.Body.Length - from;
                if (answer.CutAfter is long cut && served <= answer.Cuts) send = Math.Min(send, Math.Max(0, cut - from));
                stream.Write(answer.Body, (int)from, (int)send);
                stream.Flush();
            }
            catch (IOException) { }
        }
    }

    private static string ReadHead(NetworkStream stream)
    {
        var bytes = new List<byte>();
        while (bytes.Count < 65536)
        {
            int b = stream.ReadByte();
            if (b < 0) break;
            bytes.Add((byte)b);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n') break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private static void Write(NetworkStream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
