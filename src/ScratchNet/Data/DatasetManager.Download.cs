using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ScratchNet.Data;

public sealed partial class DatasetManager
{
    /// <summary>How many times one mirror is asked again (with a Range from where it stopped) after an interrupted transfer that made progress.</summary>
    private const int ResumeAttempts = 3;

    /// <summary>How often progress is reported while a file arrives.</summary>
    private const long ProgressEveryBytes = 1 << 20;

    /// <summary>
    /// Downloads each missing file of <paramref name="info"/> into the cache folder, trying the mirrors
    /// in order. A file arrives in "&lt;file&gt;.gz.&lt;mirror&gt;.part", which no search ever takes
    /// for data; it is renamed into place only after its decompressed SHA-256 is the catalog's.
    /// An interrupted transfer is resumed with an HTTP Range request (at once, and on a later call, from
    /// the same mirror: each mirror has its own part file, since mirrors may compress differently); a
    /// corrupt, oversized or wrong file is deleted and the next mirror tried.
    /// </summary>
    /// <exception cref="DownloadFailedException">No mirror gave a correct file; the message says why for each.</exception>
    private string[] Download(DatasetInfo info)
    {
        string dir = CacheFolder(info);
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadFailedException($"cannot create the cache folder {dir} ({OneLine(e.Message)})", e);
        }
        using var http = _options.HttpHandler != null ? new HttpClient(_options.HttpHandler, disposeHandler: false) : new HttpClient();
        http.Timeout = _options.DownloadTimeout;
        var paths = new string[info.Files.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            var file = info.Files[i];
            paths[i] = DataFiles.FindFile(dir, file.FileName) ?? DownloadFile(http, info, file, dir);
        }
        return paths;
    }

    private string DownloadFile(HttpClient http, DatasetInfo info, DataFileInfo file, string dir)
    {
        string final = Path.Combine(dir, file.FileName + ".gz");
        var problems = new List<string>();
        Exception? last = null;
        foreach (string mirror in info.DownloadMirrors)
        {
            string url = mirror + file.FileName + ".gz";
            string part = PartPath(final, url);
            try
            {
                for (int attempt = 1; ; attempt++)
                {
                    long before = LengthOf(part);
                    try
                    {
                        Transfer(http, info.Name, url, part);
                        break;
                    }
                    catch (Exception e) when (IsInterruption(e) && attempt < ResumeAttempts)
                    {
                        // Measured here, not in the filter: the part file is flushed as the stack unwinds.
                        if (LengthOf(part) <= before) throw;
                        _options.Log?.Invoke($"{url}: interrupted at {LengthOf(part):N0} bytes ({OneLine(e.Message)}); resuming");
                    }
                }
                string actual = HashDecompressed(part);
                if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new DataFormatException(url, $"SHA-256 of the decompressed bytes is {actual}, expected {file.Sha256} (truncated, corrupt or a different file; not kept)");
                File.Move(part, final, overwrite: true);
                return final;
            }
            catch (DataFormatException e)
            {
                // Corrupt, oversized or a different file: no later Range can mend it.
                DeleteQuietly(part);
                problems.Add($"{url}: {OneLine(e.Problem)}");
                last = e;
            }
            catch (Exception e) when (IsInterruption(e))
            {
                // The part file (if any) stays for a later call to resume; it is never read as data.
                if (LengthOf(part) == 0) DeleteQuietly(part);
                problems.Add($"{url}: {OneLine(e.Message)}");
                last = e;
            }
        }
        throw new DownloadFailedException(string.Join("; ", problems), last);
    }

    /// <summary>
    /// Brings <paramref name="part"/> up to the whole of <paramref name="url"/>: asks for the bytes after
    /// those already there (Range), appends them when the server answers 206 from that offset, and
    /// starts over when it sends the whole file (200). At most <see cref="Limits.MaxDownloadBytes"/> in all.
    /// </summary>
    private void Transfer(HttpClient http, string dataset, string url, string part)
    {
        long have = LengthOf(part);
        if (have >= Limits.MaxDownloadBytes) { DeleteQuietly(part); have = 0; }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        _options.Log?.Invoke(have > 0 ? $"downloading {url} (resuming at {have:N0} bytes)" : $"downloading {url}");
        using var response = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The part is no proper prefix of what the server has now (or already all of it, from a
            // run stopped before the hash check): start again from nothing, without a Range.
            DeleteQuietly(part);
            Transfer(http, dataset, url, part);
            return;
        }
        response.EnsureSuccessStatusCode();
        var range = response.Content.Headers.ContentRange;
        bool append = have > 0 && response.StatusCode == HttpStatusCode.PartialContent && range?.From == have;
        if (have > 0 && response.StatusCode == HttpStatusCode.PartialContent && !append)
            throw new DataFormatException(url, $"the server answered a resume at byte {have:N0} with another range ({range})");
        if (!append) have = 0;
        long? total = append ? range!.Length ?? (response.Content.Headers.ContentLength + have) : response.Content.Headers.ContentLength;
        if (total > Limits.MaxDownloadBytes)
            throw new DataFormatException(url, $"the server announces {total:N0} bytes, more than the {Limits.MaxDownloadBytes:N0} a download may take");
        using var body = response.Content.ReadAsStream();
        // A server may send without end: the copy stops at the limit.
        using var bounded = new BoundedReadStream(body, Limits.MaxDownloadBytes - have, url, append ? "the rest of the download" : "the download");
        using var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var report = _options.OnDownloadProgress;
        report?.Invoke(new DownloadProgress(dataset, url, have, total));
        var buffer = new byte[1 << 16];
        long received = have, nextReport = have + ProgressEveryBytes;
        for (int n; (n = bounded.Read(buffer)) > 0;)
        {
            output.Write(buffer, 0, n);
            received += n;
            if (received >= nextReport)
            {
                report?.Invoke(new DownloadProgress(dataset, url, received, total));
                nextReport = received + ProgressEveryBytes;
            }
        }
        output.Flush(flushToDisk: true);
        if (total is long expected && received != expected)
            throw new IOException($"the transfer ended at {received:N0} of {expected:N0} bytes");
        report?.Invoke(new DownloadProgress(dataset, url, received, total));
    }

    /// <summary>A failure that a later request may not repeat: no answer, an error status, a cut transfer, a full disk.</summary>
    private static bool IsInterruption(Exception e) =>
        e is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException;

    /// <summary>The part file for <paramref name="url"/>: one per mirror, so a resume never joins two mirrors' bytes.</summary>
    private static string PartPath(string final, string url) =>
        $"{final}.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..8]}.part";

    private static long LengthOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private static void DeleteQuietly(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").TrimEnd('.', ' ');
}
