namespace ScratchNet.Data;

/// <summary>One file of a dataset and the SHA-256 of its decompressed bytes.</summary>
/// <param name="FileName">The file name without ".gz" ("train-images-idx3-ubyte", "tvmarketing.csv"); a ".gz" copy is accepted too.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the decompressed content.</param>
public sealed record DataFileInfo(string FileName, string Sha256);
