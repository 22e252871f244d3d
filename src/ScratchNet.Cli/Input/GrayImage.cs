using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace ScratchNet.Cli.Input;

/// <summary>A grey image with values in [0, 1], row-major, and the name of the format it was read from.</summary>
public sealed record GrayImage(int Width, int Height, float[] Pixels, string Format)
{
    /// <summary>
    /// The most bytes a decode may hold at once, per pixel the header declares (plus
    /// <see cref="DecodeBudgetBase"/>): 32. The decoded RGBA image takes 4, a progressive JPEG's
    /// coefficients 6 more, and the decoders' row buffers a few; no honest file needs more.
    /// </summary>
    public const int DecodeBytesPerPixel = 32;

    /// <summary>The bytes a decode may hold at once besides <see cref="DecodeBytesPerPixel"/> per pixel: 16 MiB (tables, row buffers, a small image's blocks).</summary>
    public const long DecodeBudgetBase = 16L << 20;

    /// <summary>The formats <see cref="Read"/> takes, for messages and help.</summary>
    public const string Formats = "PNG, JPEG, BMP, GIF, WebP, TIFF or PGM";

    /// <summary>
    /// Reads an image file: PNG, JPEG, BMP, GIF, WebP or TIFF through SixLabors.ImageSharp (the first
    /// frame of an animation or a multi-page file), or PGM (P2/P5) through <see cref="PgmReader"/>.
    /// Colour becomes grey by <see cref="Data.DigitImage.Luminance"/> (transparency blended onto white).
    /// </summary>
    /// <remarks>
    /// Crafted images are a known attack surface of decoders, so before decoding: the file's size is
    /// checked against <see cref="Limits.MaxImageFileBytes"/>, its header is read alone
    /// (<c>Image.Identify</c>) and its declared size checked against <see cref="Limits.MaxImagePixels"/>,
    /// and its structure walked to its end (<see cref="ImageFileStructure"/>: ImageSharp takes a file
    /// cut short as blank where it ends); the decode then runs on one thread with a
    /// <see cref="BudgetAllocator"/> that refuses to hold more than that size needs. Every decoder
    /// failure is one line that names the file.
    /// </remarks>
    /// <exception cref="InvalidDataException">Not an image, malformed, or too large; the one-line message names the file.</exception>
    public static GrayImage Read(string path)
    {
        // The whole file is read: refuse first what no usable image needs.
        long size = new FileInfo(path).Length;
        if (size > Limits.MaxImageFileBytes)
            throw new InvalidDataException($"{path}: the image file has {size:N0} bytes, more than the limit of {Limits.MaxImageFileBytes:N0}");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 'P' && (bytes[1] == '2' || bytes[1] == '5')) return PgmReader.Decode(bytes, path);

        IImageInfo? info;
        IImageFormat? format;
        var headerConfiguration = Configure(new BudgetAllocator(DecodeBudgetBase));
        try { info = Image.Identify(headerConfiguration, bytes, out format); }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            // The structure, when it is broken, says more precisely what is wrong than the decoder's message.
            var detected = Image.DetectFormat(headerConfiguration, bytes);
            if (detected is not null && ImageFileStructure.Problem(bytes, detected) is { } broken) throw new InvalidDataException($"{path}: {Name(detected)} {broken}", e);
            throw Failure(path, detected, "header", e);
        }
        if (info is null || format is null)
            throw new InvalidDataException($"{path}: not an image in a format predict reads ({Formats}; {bytes.Length:N0} bytes starting 0x{Convert.ToHexString(bytes, 0, Math.Min(8, bytes.Length))})");
        long pixels = (long)info.Width * info.Height;
        if (info.Width < 1 || info.Height < 1 || pixels > Limits.MaxImagePixels)
            throw new InvalidDataException($"{path}: {Name(format)} header gives {info.Width} x {info.Height} pixels: not a usable image (at most {Limits.MaxImagePixels:N0} pixels)");

        if (ImageFileStructure.Problem(bytes, format) is { } problem) throw new InvalidDataException($"{path}: {Name(format)} {problem}");

        var allocator = new BudgetAllocator(DecodeBudgetBase + DecodeBytesPerPixel * pixels);
        Image<Rgba32> image;
        try { image = Image.Load<Rgba32>(Configure(allocator), bytes); }
        catch (Exception e) when (IsDecoderFailure(e)) { throw Failure(path, format, "data", e); }
        using (image)
        {
            if (image.Width != info.Width || image.Height != info.Height)
                throw new InvalidDataException($"{path}: {Name(format)} header gives {info.Width} x {info.Height} pixels, its image data {image.Width} x {image.Height}");
            var grey = new float[pixels];
            int width = image.Width;
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                        grey[y * width + x] = Data.DigitImage.Luminance(row[x].R / 255f, row[x].G / 255f, row[x].B / 255f, row[x].A / 255f);
                }
            });
            return new GrayImage(image.Width, image.Height, grey, Name(format));
        }
    }

    /// <summary>
    /// The decoders of the formats we promise (not TGA, which has no signature and would claim random
    /// bytes), the animated ones limited to their first frame, none parsing metadata (EXIF, ICC, XMP,
    /// PNG's compressed text: code that a prediction does not need is code a crafted file cannot
    /// reach), on one thread (deterministic, and measurable by the
    /// tests' per-thread allocation counts) with <paramref name="allocator"/>.
    /// </summary>
    private static Configuration Configure(MemoryAllocator allocator)
    {
        var configuration = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule(),
            new BmpConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule())
        {
            MemoryAllocator = allocator,
            MaxDegreeOfParallelism = 1,
        };
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        return configuration;
    }

    /// <summary>
    /// What a decoder throws on a file it cannot read: ImageSharp's own exceptions (unknown format,
    /// invalid content, memory refused), unsupported features, and the runtime's exceptions that a
    /// crafted file provokes in a decoder's arithmetic or indexing. A file a decoder cannot read is
    /// the file's problem, reported as one line; anything else (out of memory, cancellation) is not caught.
    /// </summary>
    private static bool IsDecoderFailure(Exception e) => e is ImageFormatException or InvalidMemoryOperationException or NotSupportedException
        or InvalidDataException or IndexOutOfRangeException or ArgumentException or InvalidOperationException or OverflowException or IOException
        or DivideByZeroException or NullReferenceException or InvalidCastException;

    /// <summary>The format's usual name (ImageSharp spells WebP "Webp").</summary>
    private static string Name(IImageFormat format) => format is WebpFormat ? "WebP" : format.Name;

    private static InvalidDataException Failure(string path, IImageFormat? format, string part, Exception e)
    {
        string what = e switch
        {
            InvalidMemoryOperationException => e.Message,
            ImageFormatException or NotSupportedException or InvalidDataException => $"{TextExcerpt.Of(e.Message, 200)}",
            // A runtime exception's own words ("Sequence contains no elements") say nothing about the file.
            _ => $"the decoder failed with {e.GetType().Name}",
        };
        return new InvalidDataException($"{path}: the {(format is null ? "image" : Name(format))} file's {part} is corrupt, truncated or unsupported ({what})", e);
    }
}
