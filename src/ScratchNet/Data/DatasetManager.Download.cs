namespace ScratchNet.Data;

public sealed partial class DatasetManager
{
    /// <summary>
    /// Downloads each file of <paramref name="info"/> to a temporary file in the cache folder,
    /// verifies its SHA-256 (after decompression), then renames it into place. A failed or corrupt
    /// download leaves nothing behind.
    /// </summary>
    private string[] Download(DatasetInfo info)
    {
        string dir = Path.Combine(_options.ResolveCacheDir(), info.Name);
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(info.Name, $"cannot create the cache folder {dir} ({e.Message.TrimEnd('.')})", e);
        }
        using var http = _options.HttpHandler != null ? new HttpClient(_options.HttpHandler, disposeHandler: false) : new HttpClient();
        http.Timeout = _options.DownloadTimeout;
        var paths = new string[info.Files.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            var file = info.Files[i];
            string url = info.DownloadBaseUrl + file.FileName + ".gz";
            string final = Path.Combine(dir, file.FileName + ".gz");
            string existing = DataFiles.FindFile(dir, file.FileName) ?? "";
            if (existing.Length > 0) { paths[i] = existing; continue; }
            string temp = IO.AtomicFile.TempPathFor(final);
            _options.Log?.Invoke($"downloading {url}");
            try
            {
                using (var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
                {
                    response.EnsureSuccessStatusCode();
                    using var body = response.Content.ReadAsStream();
                    using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                    // A server may send without end: the copy stops at the limit (the temporary file is deleted below).
                    using var bounded = new BoundedReadStream(body, Limits.MaxDownloadBytes, url, "the download");
                    bounded.CopyTo(output);
                    output.Flush(flushToDisk: true);
                }
                string actual = HashDecompressed(temp);
                if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new DataFormatException(url, HashMismatch(file, actual));
                File.Move(temp, final, overwrite: true);
                paths[i] = final;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException)
            {
                throw new DataFormatException(info.Name, $"{url}: {e.Message.TrimEnd('.')}", e);
            }
            finally
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { }
            }
        }
        return paths;
    }
}
