using System.Security.Cryptography;

namespace ScratchNet.Data;

/// <summary>
/// Finds, verifies, downloads and loads datasets by name: "mnist", "fashion-mnist", "tv-marketing",
/// "advertising", the synthetic 2-D sets ("xor", "circles", "moons", "spirals", "gaussians"), or a
/// path to any CSV file. Every file is checked against the SHA-256 of its decompressed bytes.
/// </summary>
/// <remarks>
/// Search order for files (the one owner of it; docs/DATA.md): --data-dir (DIR/&lt;name&gt;/, then DIR/),
/// $SCRATCHNET_DATA (same), the checkout's data/ folder (found by walking up from the current folder and
/// the program), the data/ folder beside the program (what the installed tool carries: MNIST), what the
/// library carries (the tables and texts embedded in ScratchNet.dll, copied into the user cache with
/// their hash checked), the user cache (~/.cache/scratchnet/&lt;name&gt;), /usr/share/datasets/&lt;name&gt;
/// (Debian's dataset-* packages), then a download from the dataset's mirrors (MNIST, Fashion-MNIST).
/// Verification: the hash is computed while the files are decompressed (the reader reads every
/// byte anyway), so it costs one SHA-256 pass and no second read; see docs/DATA.md for timings.
/// </remarks>
public sealed partial class DatasetManager
{
    private readonly DatasetManagerOptions _options;

    /// <summary>A manager with <paramref name="options"/> (null = defaults: no --data-dir, downloads allowed).</summary>
    public DatasetManager(DatasetManagerOptions? options = null) => _options = options ?? new DatasetManagerOptions();

    /// <summary>The options in effect.</summary>
    public DatasetManagerOptions Options => _options;

    /// <summary>Every named dataset.</summary>
    public IReadOnlyList<DatasetInfo> List() => DatasetCatalog.All;

    /// <summary>
    /// The catalog entry for <paramref name="name"/>, or, for a path ending in .csv, an entry describing
    /// that file.
    /// </summary>
    /// <exception cref="DataFormatException">No such dataset.</exception>
    public DatasetInfo Info(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var known = _options.CatalogOverrides.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? DatasetCatalog.Find(name);
        if (known != null) return known;
        if (IsCsvPath(name))
        {
            if (!File.Exists(name)) throw new DataFormatException(name, "CSV file not found");
            return new DatasetInfo(Path.GetFileNameWithoutExtension(name), DatasetKind.CsvFile,
                $"CSV file {name}", "unknown", [], [], "user file");
        }
        if (IsTextPath(name))
        {
            if (!File.Exists(name)) throw new DataFormatException(name, "text file not found");
            return new DatasetInfo(Path.GetFileNameWithoutExtension(name), DatasetKind.TextFile,
                $"text file {name}", "text", [], [], "user file");
        }
        throw new DataFormatException(name, $"unknown dataset; known: {string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}, or a path to a .csv or .txt file");
    }

    /// <summary>Whether each named dataset is available here, and where (no download; the datasets the library carries are copied into the cache).</summary>
    public IReadOnlyList<DatasetStatus> Status() => DatasetCatalog.All.Select(Status).ToArray();

    /// <summary>Whether <paramref name="info"/>'s files are present, and where (no download; a dataset the library carries is copied into the cache).</summary>
    public DatasetStatus Status(DatasetInfo info)
    {
        if (info.Files.Count == 0) return new DatasetStatus(info, null, []);
        var found = Locate(info);
        return new DatasetStatus(info, found == null ? null : Path.GetDirectoryName(found[0]), SearchFolders(info));
    }

    /// <summary>
    /// Checks the SHA-256 of each file of <paramref name="name"/> (decompressing .gz files). Empty
    /// for synthetic sets and user CSV files, which have no reference hash.
    /// </summary>
    /// <exception cref="DataFormatException">The files cannot be found (the message says where it looked) or are malformed.</exception>
    public IReadOnlyList<FileVerification> Verify(string name)
    {
        var info = Info(name);
        if (info.Files.Count == 0) return [];
        var paths = LocateOrThrow(info, allowDownload: false);
        var results = new List<FileVerification>();
        for (int i = 0; i < paths.Length; i++)
            results.Add(new FileVerification(paths[i], info.Files[i].Sha256, HashDecompressed(paths[i])));
        return results;
    }

    /// <summary>
    /// Makes sure the files of <paramref name="name"/> are on disk (downloading MNIST or Fashion-MNIST into
    /// the cache when allowed) and returns the folder that holds them (null for synthetic sets).
    /// </summary>
    /// <exception cref="DataFormatException">Not found and not downloadable; the message lists the places and the remedies.</exception>
    public string? Fetch(string name)
    {
        var info = Info(name);
        if (info.Files.Count == 0) return info.Kind is DatasetKind.CsvFile or DatasetKind.TextFile ? Path.GetDirectoryName(Path.GetFullPath(name)) : null;
        var paths = LocateOrThrow(info, _options.AllowDownload);
        return Path.GetDirectoryName(paths[0]);
    }

    /// <summary>
    /// The paths of <paramref name="name"/>'s files, in the catalog's order (each raw or ".gz"), found
    /// or downloaded as <see cref="Fetch"/> does; empty for synthetic sets.
    /// </summary>
    /// <exception cref="DataFormatException">Not found and not downloadable; the message lists the places and the remedies.</exception>
    public IReadOnlyList<string> Files(string name)
    {
        var info = Info(name);
        if (info.Kind is DatasetKind.CsvFile or DatasetKind.TextFile) return [Path.GetFullPath(name)];
        return info.Files.Count == 0 ? [] : LocateOrThrow(info, _options.AllowDownload);
    }

    /// <summary>Loads <paramref name="name"/> as training and test splits.</summary>
    /// <exception cref="DataFormatException">Missing, corrupt or malformed data; hash mismatch.</exception>
    public LoadedData Load(string name, DatasetLoadOptions? options = null)
    {
        options ??= new DatasetLoadOptions();
        var info = Info(name);
        return info.Kind switch
        {
            DatasetKind.Images => LoadImages(info, options),
            DatasetKind.Synthetic => SyntheticData.Load(info, options),
            DatasetKind.Table => TableData.Load(info, LocateOrThrow(info, false)[0], options),
            DatasetKind.CsvFile => TableData.Load(info, name, options),
            DatasetKind.Text => TextData.Load(info, LocateOrThrow(info, false)[0], ReadText(name), options),
            DatasetKind.TextFile => TextData.Load(info, name, ReadUtf8(name, Limits.MaxTextFileBytes, null), options),
            _ => throw new DataFormatException(name, $"cannot load a dataset of kind {info.Kind}"),
        };
    }

    /// <summary>
    /// The whole text of the corpus <paramref name="name"/> ("names", "tiny-shakespeare"), as UTF-8, after
    /// its SHA-256 is checked against the catalog.
    /// </summary>
    /// <exception cref="DataFormatException">Not a text corpus, not found, or not the catalog's file.</exception>
    public string ReadText(string name)
    {
        var info = Info(name);
        if (info.Kind != DatasetKind.Text) throw new DataFormatException(name, $"not a text corpus (it is {info.Kind.ToString().ToLowerInvariant()} data; load it with Load)");
        string path = LocateOrThrow(info, false)[0];
        return ReadUtf8(path, info.Files[0].Bytes ?? Limits.MaxDecompressedBytes, info.Files[0]);
    }

    /// <summary>A text file as UTF-8 (checked against <paramref name="expected"/>'s SHA-256 when given), at most <paramref name="maxBytes"/> bytes after decompression.</summary>
    private static string ReadUtf8(string path, long maxBytes, DataFileInfo? expected)
    {
        try
        {
            using var stream = OpenDecompressed(path);
            using var bounded = new BoundedReadStream(stream, maxBytes, path, "the text");
            using var buffer = new MemoryStream();
            bounded.CopyTo(buffer);
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (expected is not null)
            {
                string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (actual != expected.Sha256) throw new DataFormatException(path, HashMismatch(expected, actual));
            }
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new DataFormatException(path, $"not UTF-8 text (an invalid byte sequence at byte {e.Index:N0})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataFormatException(path, $"cannot read the file ({e.Message.TrimEnd('.')})", e);
        }
    }

    private LoadedData LoadImages(DatasetInfo info, DatasetLoadOptions options)
    {
        var paths = LocateOrThrow(info, _options.AllowDownload);
        var files = new IdxFile[paths.Length];
        // The four files are independent: read them in parallel (decompression is the cost).
        try
        {
            Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(paths.Length, Environment.ProcessorCount) },
                i => files[i] = ReadVerified(paths[i], info.Files[i]));
        }
        catch (AggregateException e)
        {
            // Report the first file's own error, not the parallel loop's wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
            throw;
        }
        var names = info.ClassNames;
        var train = ImageDataset.FromIdx($"{info.Name}/train", files[0], files[1], names.Count, names, options.ChannelsFirst);
        var test = ImageDataset.FromIdx($"{info.Name}/test", files[2], files[3], names.Count, names, options.ChannelsFirst);
        switch (options.Standardize)
        {
            case StandardizeMode.None:
                return new LoadedData(train, test, info);
            case StandardizeMode.ZScore:
            {
                // One mean and deviation for every pixel: a per-pixel z-score would blow up the border
                // pixels that are almost always 0.
                var (mean, deviation) = train.PixelStatistics();
                int pixels = train.Height * train.Width;
                var standardizer = new Standardizer(StandardizeMode.ZScore,
                    Enumerable.Repeat((float)mean, pixels).ToArray(), Enumerable.Repeat((float)deviation, pixels).ToArray());
                return new LoadedData(new ScaledDataset(train, standardizer), new ScaledDataset(test, standardizer), info) { Standardizer = standardizer };
            }
            default:
                throw new DataFormatException(info.Name, $"images are scaled to [0, 1] as they load; {Standardizer.ModeName(options.Standardize)} standardisation does not apply to them (use z-score or none)");
        }
    }

    /// <summary>Reads an IDX file and checks its SHA-256 against the catalog.</summary>
    internal static IdxFile ReadVerified(string path, DataFileInfo expected)
    {
        var idx = IdxReader.Read(path, expected.Bytes);
        if (!string.Equals(idx.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new DataFormatException(path, HashMismatch(expected, idx.Sha256));
        return idx;
    }

    internal static string HashMismatch(DataFileInfo expected, string actual) =>
        $"SHA-256 of the decompressed bytes is {actual}, expected {expected.Sha256} for {expected.FileName} (corrupt or a different file; delete it to fetch it again)";

    /// <summary>
    /// SHA-256 (lower-case hex) of a file's content, decompressed first if it is gzip. Decompression
    /// stops with an error beyond <see cref="Limits.MaxDecompressedBytes"/>.
    /// </summary>
    /// <exception cref="DataFormatException">The file cannot be read, is corrupt gzip, or inflates beyond the limit.</exception>
    public static string HashDecompressed(string path)
    {
        try
        {
            using var s = OpenDecompressed(path);
            return Convert.ToHexStringLower(SHA256.HashData(s));
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"corrupt gzip data ({e.Message.TrimEnd('.')})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot read the file ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>
    /// The content of <paramref name="path"/>: the file itself, or, when it starts with the gzip magic
    /// bytes, its decompressed bytes, which stop with an error beyond <see cref="Limits.MaxDecompressedBytes"/>.
    /// </summary>
    internal static Stream OpenDecompressed(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[2];
            int got = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (got < 2 || head[0] != 0x1f || head[1] != 0x8b) return file;
            return new BoundedReadStream(new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress),
                Limits.MaxDecompressedBytes, path, "the decompressed data");
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static bool IsTextPath(string name) => name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);

    private static bool IsCsvPath(string name) =>
        name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
        || !IsTextPath(name) && (name.Contains(Path.DirectorySeparatorChar) || name.Contains('/'));
}
