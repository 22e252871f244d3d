namespace ScratchNet.Plotting;

/// <summary>
/// An opaque 8-bit RGB raster, row-major, three bytes per pixel: pixel (x, y) starts at
/// <c>3 (y Width + x)</c>. The origin is the top-left corner; y grows downwards.
/// Drawing (rectangles, anti-aliased discs and lines, a bitmap font) lives in the partial files
/// RgbImage.Drawing.cs and RgbImage.Text.cs.
/// </summary>
public sealed partial class RgbImage
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels: R, G, B for each pixel, row by row.</summary>
    public byte[] Pixels { get; }

    /// <summary>Creates a <paramref name="width"/> x <paramref name="height"/> image filled with <paramref name="background"/> (white if omitted).</summary>
    public RgbImage(int width, int height, Rgb? background = null)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width} x {height}.");
        if ((long)width * height > 1L << 26)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image {width} x {height} is too large (more than 2^26 pixels).");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        Clear(background ?? Rgb.White);
    }

    /// <summary>Fills the whole image with <paramref name="color"/>.</summary>
    public void Clear(Rgb color)
    {
        for (int i = 0; i < Pixels.Length; i += 3)
        {
            Pixels[i] = color.R;
            Pixels[i + 1] = color.G;
            Pixels[i + 2] = color.B;
        }
    }

    /// <summary>The colour at (x, y).</summary>
    public Rgb this[int x, int y]
    {
        get
        {
            CheckInside(x, y);
            int i = 3 * (y * Width + x);
            return new Rgb(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
        set
        {
            CheckInside(x, y);
            SetPixel(x, y, value);
        }
    }

    /// <summary>Sets (x, y) when it lies inside the image; pixels outside are clipped silently.</summary>
    public void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = 3 * (y * Width + x);
        Pixels[i] = color.R;
        Pixels[i + 1] = color.G;
        Pixels[i + 2] = color.B;
    }

    /// <summary>Blends <paramref name="color"/> over (x, y) with opacity <paramref name="alpha"/> in [0, 1]: <c>p = p + alpha (c - p)</c>.</summary>
    public void BlendPixel(int x, int y, Rgb color, double alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || !(alpha > 0)) return;
        if (alpha >= 1) { SetPixel(x, y, color); return; }
        int i = 3 * (y * Width + x);
        Pixels[i] = Mix(Pixels[i], color.R, alpha);
        Pixels[i + 1] = Mix(Pixels[i + 1], color.G, alpha);
        Pixels[i + 2] = Mix(Pixels[i + 2], color.B, alpha);
    }

    private static byte Mix(byte p, byte c, double alpha) => (byte)(p + (c - p) * alpha + 0.5);

    /// <summary>Copies <paramref name="source"/> with its top-left corner at (x, y), clipped to this image.</summary>
    public void DrawImage(RgbImage source, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(source);
        int x0 = Math.Max(0, x), x1 = Math.Min(Width, x + source.Width);
        if (x1 <= x0) return;
        for (int sy = 0; sy < source.Height; sy++)
        {
            int ty = y + sy;
            if ((uint)ty >= (uint)Height) continue;
            Array.Copy(source.Pixels, 3 * (sy * source.Width + (x0 - x)), Pixels, 3 * (ty * Width + x0), 3 * (x1 - x0));
        }
    }

    /// <summary>A copy enlarged <paramref name="factor"/> times by pixel repetition (crisp pixels, as wanted for 28 x 28 digits).</summary>
    public RgbImage Upscale(int factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), $"Upscale factor must be at least 1, got {factor}.");
        var result = new RgbImage(Width * factor, Height * factor);
        for (int y = 0; y < result.Height; y++)
        for (int x = 0; x < result.Width; x++)
        {
            int s = 3 * ((y / factor) * Width + x / factor), d = 3 * (y * result.Width + x);
            result.Pixels[d] = Pixels[s];
            result.Pixels[d + 1] = Pixels[s + 1];
            result.Pixels[d + 2] = Pixels[s + 2];
        }
        return result;
    }

    /// <summary>An independent copy.</summary>
    public RgbImage Clone()
    {
        var copy = new RgbImage(Width, Height);
        Pixels.CopyTo(copy.Pixels, 0);
        return copy;
    }

    /// <summary>
    /// Builds an image from values in row-major order (<paramref name="height"/> x <paramref name="width"/>),
    /// coloured by <paramref name="map"/> on the scale [<paramref name="min"/>, <paramref name="max"/>].
    /// </summary>
    public static RgbImage FromValues(ReadOnlySpan<float> values, int width, int height, ColorMap map, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (values.Length != width * height)
            throw new ArgumentException($"Expected {width} x {height} = {width * height} values, got {values.Length}.", nameof(values));
        var image = new RgbImage(width, height);
        for (int i = 0; i < values.Length; i++)
            image.SetPixel(i % width, i / width, map.Map(values[i], min, max));
        return image;
    }

    /// <summary>Encodes as PNG (RGB, 8 bits per channel).</summary>
    public byte[] ToPng() => PngEncoder.Encode(this);

    /// <summary>Writes a PNG file atomically (temporary file in the same folder, then rename).</summary>
    public void SavePng(string path) => PngEncoder.Save(path, this);

    private void CheckInside(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width} x {Height} image.");
    }
}
