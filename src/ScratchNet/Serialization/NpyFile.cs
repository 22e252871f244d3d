using ScratchNet.IO;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ScratchNet.Tensors;

namespace ScratchNet.Serialization;

/// <summary>
/// Writes NumPy's .npy format (version 1.0, little-endian float32, C order) so Python peers can
/// read ScratchNet outputs with <c>numpy.load</c>: the magic "\x93NUMPY", version 1.0, a 2-byte
/// header length, a Python-dict header padded with spaces to a 64-byte boundary, then the data.
/// </summary>
public static class NpyFile
{
    /// <summary>Writes <paramref name="tensor"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, Tensor tensor) => AtomicFile.Write(path, s => Write(s, tensor));

    /// <summary>Writes the .npy bytes of <paramref name="tensor"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        var shape = tensor.ShapeArray();
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = 10 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        string header = dict + new string(' ', padding) + "\n";
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write([(byte)(header.Length & 0xff), (byte)(header.Length >> 8)]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(MemoryMarshal.AsBytes(tensor.Span));
    }
}
