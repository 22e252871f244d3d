namespace ScratchNet.Data;

/// <summary>One file of a dataset, the SHA-256 of its decompressed bytes and, when known, their number.</summary>
/// <param name="FileName">The file name without ".gz" ("train-images-idx3-ubyte", "tvmarketing.csv"); a ".gz" copy is accepted too.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the decompressed content.</param>
/// <param name="Bytes">
/// The size of the decompressed content, when known: readers refuse a file that claims or inflates to
/// another size before reading (or allocating for) its data.
/// </param>
public sealed record DataFileInfo(string FileName, string Sha256, long? Bytes = null);
