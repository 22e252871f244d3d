namespace ScratchNet.Cli.Input;

/// <summary>A grey image with values in [0, 1], row-major.</summary>
public sealed record GrayImage(int Width, int Height, float[] Pixels)
{
    /// <summary>Reads a PNG (8-bit grey, grey+alpha, RGB, RGBA or palette) or a PGM (P2/P5) file.</summary>
    public static GrayImage Read(string path)
    {
        // The whole file is read: refuse first what no usable image needs.
        long size = new FileInfo(path).Length;
        if (size > Limits.MaxImageFileBytes)
            throw new InvalidDataException($"{path}: the image file has {size:N0} bytes, more than the limit of {Limits.MaxImageFileBytes:N0}");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 8 && bytes.AsSpan(0, 8).SequenceEqual(PngDecoder.Signature)) return PngDecoder.Decode(bytes, path);
        if (bytes.Length >= 2 && bytes[0] == 'P' && (bytes[1] == '2' || bytes[1] == '5')) return PgmReader.Decode(bytes, path);
        throw new InvalidDataException($"{path}: not a PNG or PGM (P2/P5) image");
    }

    /// <summary>
    /// The image as a 28 x 28 MNIST-style input: light strokes on a dark background (inverted when the
    /// border is light, as for a digit drawn on paper), scaled by area averaging to fit a 20 x 20 box
    /// (keeping its proportions) and centred on the 28 x 28 canvas, as MNIST's digits are. A 28 x 28
    /// image is used as it is (apart from the inversion).
    /// </summary>
    public (float[] Pixels, bool Inverted) ToMnist()
    {
        float[] src = (float[])Pixels.Clone();
        double border = 0;
        int borderCount = 0;
        for (int x = 0; x < Width; x++) { border += src[x] + src[(Height - 1) * Width + x]; borderCount += 2; }
        for (int y = 0; y < Height; y++) { border += src[y * Width] + src[y * Width + Width - 1]; borderCount += 2; }
        bool invert = border / borderCount > 0.5;
        if (invert) for (int i = 0; i < src.Length; i++) src[i] = 1f - src[i];
        if (Width == 28 && Height == 28) return (src, invert);

        double scale = 20.0 / Math.Max(Width, Height);
        int w = Math.Max(1, (int)Math.Round(Width * scale)), h = Math.Max(1, (int)Math.Round(Height * scale));
        var result = new float[28 * 28];
        int ox = (28 - w) / 2, oy = (28 - h) / 2;
        for (int ty = 0; ty < h; ty++)
            for (int tx = 0; tx < w; tx++)
            {
                // Area average of the source pixels under target pixel (tx, ty); nearest when enlarging.
                int x0 = (int)Math.Floor(tx / scale), x1 = Math.Max(x0 + 1, (int)Math.Ceiling((tx + 1) / scale));
                int y0 = (int)Math.Floor(ty / scale), y1 = Math.Max(y0 + 1, (int)Math.Ceiling((ty + 1) / scale));
                double sum = 0;
                int count = 0;
                for (int y = y0; y < Math.Min(y1, Height); y++)
                    for (int x = x0; x < Math.Min(x1, Width); x++) { sum += src[y * Width + x]; count++; }
                result[(oy + ty) * 28 + ox + tx] = count == 0 ? 0 : (float)(sum / count);
            }
        return (result, invert);
    }
}
