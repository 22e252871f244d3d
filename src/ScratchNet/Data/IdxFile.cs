namespace ScratchNet.Data;

/// <summary>
/// The content of an IDX file (the MNIST format): unsigned bytes and their dimensions, e.g.
/// (60000, 28, 28) for images or (60000) for labels.
/// </summary>
/// <param name="Dimensions">The dimensions, outermost first.</param>
/// <param name="Data">The values, row-major; its length is the product of the dimensions.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the decompressed file (header included), computed while reading.</param>
public sealed record IdxFile(int[] Dimensions, byte[] Data, string Sha256)
{
    /// <summary>The first dimension: the number of items.</summary>
    public int Count => Dimensions[0];

    /// <summary>Values per item: the product of the dimensions after the first.</summary>
    public int ItemLength => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);
}
