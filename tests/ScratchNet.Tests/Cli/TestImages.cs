using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ScratchNet.Tests.Cli;

/// <summary>Images encoded by ImageSharp in every format predict reads, for the image tests and the fuzzer's seeds.</summary>
internal static class TestImages
{
    /// <summary>The formats, by file extension, with the encoder of each (WebP both lossless and lossy).</summary>
    public static readonly (string Extension, IImageEncoder Encoder)[] Encoders =
    [
        ("png", new PngEncoder()),
        ("jpg", new JpegEncoder { Quality = 90 }),
        ("bmp", new BmpEncoder()),
        ("gif", new GifEncoder()),
        ("tiff", new TiffEncoder()),
        ("webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
        ("lossy.webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }),
    ];

    /// <summary>The image encoded by <paramref name="encoder"/>.</summary>
    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>
    /// A <paramref name="width"/> x <paramref name="height"/> RGB picture: a dark blue ring (a zero) on
    /// cream paper, so that every format has strokes, colour and anti-aliased edges to carry.
    /// </summary>
    public static Image<Rgb24> Ring(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        double cx = width / 2.0, cy = height / 2.0, r = Math.Min(width, height) * 0.3;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double d = Math.Abs(Math.Sqrt((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy)) - r);
                double ink = Math.Clamp(r * 0.25 - d, 0, 1);
                image[x, y] = new Rgb24((byte)(235 - 215 * ink), (byte)(230 - 200 * ink), (byte)(215 - 125 * ink));
            }
        return image;
    }
}
