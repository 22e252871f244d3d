using System.Net;

namespace ScratchNet.Cli.Playground;

/// <summary>
/// A small static file server on the loopback address (HttpListener: the CLI carries no web server):
/// GET and HEAD of the files under one folder, with the MIME types a Blazor WebAssembly site needs;
/// a path without a file extension that names no file gets index.html (the site's own routes, such
/// as /digits). Nothing outside the folder is ever served.
/// </summary>
public sealed class StaticSiteServer : IDisposable
{
    private static readonly Dictionary<string, string> MimeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".wasm"] = "application/wasm",
        [".dll"] = "application/octet-stream",
        [".pdb"] = "application/octet-stream",
        [".dat"] = "application/octet-stream",
        [".blat"] = "application/octet-stream",
        [".safetensors"] = "application/octet-stream",
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/x-icon",
        [".txt"] = "text/plain; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
    };

    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    /// <summary>Starts serving <paramref name="root"/> at http://127.0.0.1:<paramref name="port"/>/ (0: a free port).</summary>
    /// <exception cref="HttpListenerException">The port cannot be listened on (in use, or not allowed).</exception>
    public StaticSiteServer(string root, int port)
    {
        _root = Path.GetFullPath(root);
        Port = port == 0 ? FreePort() : port;
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The site's address.</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>The MIME type sent for a file of this extension (".wasm" → application/wasm).</summary>
    public static string MimeType(string extension) => MimeTypes.TryGetValue(extension, out var type) ? type : "application/octet-stream";

    /// <summary>
    /// The file a request path maps to under <paramref name="root"/>, or null: a path that leaves the
    /// folder (.., an absolute path, a drive) or names nothing; an extensionless route gives index.html.
    /// </summary>
    public static string? Resolve(string root, string urlPath)
    {
        string relative = Uri.UnescapeDataString(urlPath).TrimStart('/');
        if (relative.Length == 0) relative = "index.html";
        if (relative.Contains('\\') || relative.Contains('\0') || relative.Split('/').Any(p => p is ".." or ".")) return null;
        string full = Path.GetFullPath(Path.Combine(root, relative));
        string rootWithSlash = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSlash, StringComparison.Ordinal)) return null;
        if (File.Exists(full)) return full;
        if (Directory.Exists(full) && File.Exists(Path.Combine(full, "index.html"))) return Path.Combine(full, "index.html");
        return Path.GetExtension(relative).Length == 0 ? Path.Combine(rootWithSlash, "index.html") : null;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            string method = context.Request.HttpMethod;
            string? path = method is "GET" or "HEAD" ? Resolve(_root, context.Request.Url!.AbsolutePath) : null;
            if (path is null)
            {
                response.StatusCode = method is "GET" or "HEAD" ? 404 : 405;
                response.ContentType = "text/plain; charset=utf-8";
                byte[] body = System.Text.Encoding.UTF8.GetBytes(response.StatusCode == 404 ? "not found\n" : "only GET and HEAD\n");
                await response.OutputStream.WriteAsync(body);
                return;
            }
            response.ContentType = MimeType(Path.GetExtension(path));
            // The fingerprinted framework files never change under one name; index.html and the rest may.
            response.Headers["Cache-Control"] = path.Contains("_framework", StringComparison.Ordinal) ? "public, max-age=3600" : "no-cache";
            await using var file = File.OpenRead(path);
            response.ContentLength64 = file.Length;
            if (method == "GET") await file.CopyToAsync(response.OutputStream);
        }
        catch (Exception e) when (e is IOException or HttpListenerException or UnauthorizedAccessException)
        {
            // The browser went away, or the file did: nothing to tell it.
        }
        finally
        {
            try { response.Close(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Stops listening. Never throws: a connection a browser still holds can make HttpListener's Stop or Close fail, and the port is given back all the same.</summary>
    public void Dispose()
    {
        try { if (_listener.IsListening) _listener.Stop(); }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        try { _listener.Close(); }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
