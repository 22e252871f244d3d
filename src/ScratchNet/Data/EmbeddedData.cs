using System.Reflection;
using System.Security.Cryptography;

namespace ScratchNet.Data;

/// <summary>
/// The dataset files carried inside ScratchNet.dll (the repository's data/**/*.csv and data/text/*.txt,
/// embedded at build time as "ScratchNet.Data/&lt;path under data/&gt;").
/// </summary>
/// <remarks>
/// The readers take paths (and the lessons read files), so a carried file is copied once into the user
/// cache: written to a temporary file while its SHA-256 is computed, renamed into place only when that
/// hash is the catalog's. A copy already there with the right hash is used as it is.
/// </remarks>
internal static class EmbeddedData
{
    private const string Prefix = "ScratchNet.Data/";
    private static readonly Assembly Library = typeof(EmbeddedData).Assembly;
    private static readonly string[] Names = Library.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();

    /// <summary>The resource holding <paramref name="file"/>, or null when the library does not carry it.</summary>
    public static string? ResourceFor(DataFileInfo file) =>
        Names.FirstOrDefault(n => n.EndsWith("/" + file.FileName, StringComparison.Ordinal));

    /// <summary>Whether the library carries every file of <paramref name="info"/>.</summary>
    public static bool Carries(DatasetInfo info) => info.Files.Count > 0 && info.Files.All(f => ResourceFor(f) != null);

    /// <summary>
    /// The paths of <paramref name="info"/>'s files in <paramref name="dir"/>, copied there from the
    /// library first where missing or different.
    /// </summary>
    /// <exception cref="DataFormatException">The folder cannot be written, or a carried copy does not match the catalog.</exception>
    public static string[] CopyTo(DatasetInfo info, string dir)
    {
        var paths = new string[info.Files.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            var file = info.Files[i];
            string resource = ResourceFor(file) ?? throw new InvalidOperationException($"{info.Name}: the library does not carry {file.FileName}");
            string path = Path.Combine(dir, file.FileName);
            paths[i] = path;
            if (File.Exists(path) && HashMatches(path, file)) continue;
            try
            {
                IO.AtomicFile.Write(path, output =>
                {
                    using var input = Library.GetManifestResourceStream(resource)!;
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[1 << 16];
                    for (int n; (n = input.Read(buffer)) > 0;)
                    {
                        hash.AppendData(buffer, 0, n);
                        output.Write(buffer, 0, n);
                    }
                    string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                    // Thrown before the rename: the temporary file is deleted and nothing is left.
                    if (actual != file.Sha256) throw new DataFormatException($"ScratchNet.dll ({resource})", DatasetManager.HashMismatch(file, actual));
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataFormatException(info.Name,
                    $"cannot copy the library's {file.FileName} into {dir} ({e.Message.TrimEnd('.')}); set SCRATCHNET_CACHE to a writable folder, or put the file in DIR/ and pass --data-dir DIR", e);
            }
        }
        return paths;
    }

    private static bool HashMatches(string path, DataFileInfo file)
    {
        try { return DatasetManager.HashDecompressed(path) == file.Sha256; }
        catch (DataFormatException) { return false; }
    }
}
