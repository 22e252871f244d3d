namespace ScratchNet.Data;

/// <summary>
/// Prepares a picture of one handwritten digit (any size, dark on light or light on dark, off-centre)
/// the way MNIST's digits were made, so that a model trained on MNIST sees what it was trained on:
/// grey, light strokes on a dark background, the strokes' bounding box fitted into a 20 x 20 box
/// (aspect ratio kept, anti-aliased by area averaging), and that box placed in a 28 x 28 image so that
/// its centre of mass is at the centre (LeCun et al., "The MNIST database": "size normalized to fit in
/// a 20x20 pixel box while preserving their aspect ratio ... centered in a 28x28 image by computing the
/// center of mass of the pixels").
/// </summary>
/// <remarks>
/// A plain scalar implementation on float arrays (values in [0, 1], row-major): an image is prepared
/// once per prediction, so readability wins over speed. Decoding the file is the caller's (the command
/// line decodes PNG, JPEG, BMP, GIF, WebP, TIFF and PGM); the steps below are the same for each format.
/// The picture is assumed evenly lit on a plain background, as a scan or a photo of a digit on paper.
/// </remarks>
public static class DigitImage
{
    /// <summary>The side of the prepared image: 28.</summary>
    public const int Side = 28;

    /// <summary>The side of the box the strokes' bounding box is fitted into: 20.</summary>
    public const int Box = 20;

    /// <summary>
    /// Where the centre of mass is placed, on both axes: 14.5, the middle of pixel 14 (pixel x covering
    /// <c>[x, x + 1)</c>). MNIST's own digits have theirs there: the mean over its 10,000 test digits is
    /// (14.51, 14.49); a centre at 14.0 would put every prepared digit half a pixel up and left of them.
    /// </summary>
    public const double CentreOfMassTarget = 14.5;

    /// <summary>
    /// A pixel is ink when it lies at least this fraction of the way from the background level to the
    /// strongest stroke (see <see cref="ToInk"/>): 0.25. Below it, paper texture, JPEG noise and faint
    /// shadows count as background, so that they neither widen the bounding box nor pull the centre of mass.
    /// </summary>
    public const float InkThreshold = 0.25f;

    /// <summary>
    /// The least contrast between the background level and the strongest stroke for an image to hold a
    /// digit at all: 0.1 of the full range. A flatter image is blank, and <see cref="Prepare"/> says so.
    /// </summary>
    public const float MinContrast = 0.1f;

    /// <summary>
    /// The grey level of a colour pixel seen on white paper: the Rec. 601 luma
    /// <c>Y = 0.299 R + 0.587 G + 0.114 B</c> (what MNIST-era tools and PIL's "L" mode use), blended
    /// over white by its opacity: <c>alpha Y + (1 - alpha)</c>. Every value is in [0, 1], the result
    /// too (clamped: in float, white's weights can sum to a hair above 1).
    /// </summary>
    public static float Luminance(float r, float g, float b, float alpha) =>
        Math.Clamp(alpha * (0.299f * r + 0.587f * g + 0.114f * b) + (1 - alpha), 0f, 1f);

    /// <summary>The mean of the pixels on the image's outer edge (its four sides): the background level.</summary>
    public static double BorderMean(ReadOnlySpan<float> grey, int width, int height)
    {
        Check(grey, width, height);
        double sum = 0;
        int count = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (y != 0 && y != height - 1 && x != 0 && x != width - 1) continue;
                sum += grey[y * width + x];
                count++;
            }
        return sum / count;
    }

    /// <summary>
    /// Whether the digit is drawn dark on a light background (and must be inverted to look like MNIST):
    /// the border, which is background, is lighter than the image's mean, which the strokes pull towards
    /// their own shade. This holds for a dimly lit photo too, whose paper is darker than mid-grey. An
    /// image whose border equals its mean (uniform) is called light when its border is above 0.5.
    /// </summary>
    public static bool HasLightBackground(ReadOnlySpan<float> grey, int width, int height)
    {
        double border = BorderMean(grey, width, height), mean = 0;
        foreach (float v in grey) mean += v;
        mean /= grey.Length;
        return border != mean ? border > mean : border > 0.5;
    }

    /// <summary>
    /// The strokes' strength at each pixel, in [0, 1]: with <c>v</c> the grey level (inverted to
    /// <c>1 - v</c> when <paramref name="invert"/>), <c>b</c> the border's mean of those values and
    /// <c>p</c> their maximum, <c>ink = (v - b) / (p - b)</c>, clamped to [0, 1], and set to 0 where it
    /// is below <see cref="InkThreshold"/>. The background becomes 0 and the strongest stroke 1, as in
    /// MNIST, whatever the paper's shade and the pen's. Null when <c>p - b</c> is below
    /// <see cref="MinContrast"/> (a blank image).
    /// </summary>
    public static float[]? ToInk(ReadOnlySpan<float> grey, int width, int height, bool invert)
    {
        Check(grey, width, height);
        var v = new float[grey.Length];
        for (int i = 0; i < v.Length; i++) v[i] = invert ? 1 - grey[i] : grey[i];
        double background = BorderMean(v, width, height), peak = v.Max();
        if (peak - background < MinContrast) return null;
        for (int i = 0; i < v.Length; i++)
        {
            double ink = Math.Clamp((v[i] - background) / (peak - background), 0, 1);
            v[i] = ink < InkThreshold ? 0 : (float)ink;
        }
        return v;
    }

    /// <summary>The smallest rectangle holding every pixel above 0; null when there is none.</summary>
    public static (int X, int Y, int Width, int Height)? BoundingBox(ReadOnlySpan<float> ink, int width, int height)
    {
        Check(ink, width, height);
        int left = width, top = height, right = -1, bottom = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (ink[y * width + x] <= 0) continue;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        return right < 0 ? null : (left, top, right - left + 1, bottom - top + 1);
    }

    /// <summary>
    /// The rectangle <paramref name="box"/> of the image resampled to <paramref name="outWidth"/> x
    /// <paramref name="outHeight"/> by area averaging: output pixel (i, j) covers the source rectangle
    /// <c>[X + i sx, X + (i + 1) sx) x [Y + j sy, Y + (j + 1) sy)</c> with <c>sx = Width / outWidth</c>,
    /// <c>sy = Height / outHeight</c>, and is the mean of the source over it, each source pixel weighted
    /// by the area it shares with it. Shrinking thus anti-aliases (a partly covered pixel is grey).
    /// </summary>
    public static float[] ResampleArea(ReadOnlySpan<float> image, int width, int height,
        (int X, int Y, int Width, int Height) box, int outWidth, int outHeight)
    {
        Check(image, width, height);
        if (box.X < 0 || box.Y < 0 || box.Width < 1 || box.Height < 1 || box.X + box.Width > width || box.Y + box.Height > height)
            throw new ArgumentOutOfRangeException(nameof(box), $"the box {box} is not inside the {width} x {height} image");
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        double sx = (double)box.Width / outWidth, sy = (double)box.Height / outHeight;
        var result = new float[outWidth * outHeight];
        for (int j = 0; j < outHeight; j++)
        {
            double top = box.Y + j * sy, bottom = top + sy;
            for (int i = 0; i < outWidth; i++)
            {
                double left = box.X + i * sx, right = left + sx, sum = 0;
                for (int py = (int)top; py < Math.Min(box.Y + box.Height, (int)Math.Ceiling(bottom)); py++)
                {
                    double overlapY = Math.Min(bottom, py + 1) - Math.Max(top, py);
                    if (overlapY <= 0) continue;
                    for (int px = (int)left; px < Math.Min(box.X + box.Width, (int)Math.Ceiling(right)); px++)
                    {
                        double overlapX = Math.Min(right, px + 1) - Math.Max(left, px);
                        if (overlapX > 0) sum += image[py * width + px] * overlapX * overlapY;
                    }
                }
                result[j * outWidth + i] = (float)(sum / (sx * sy));
            }
        }
        return result;
    }

    /// <summary>
    /// The centre of mass of the image, pixel (x, y) covering <c>[x, x + 1) x [y, y + 1)</c>:
    /// <c>cx = sum v (x + 0.5) / sum v</c>, <c>cy = sum v (y + 0.5) / sum v</c>. The image's centre
    /// when every pixel is 0.
    /// </summary>
    public static (double X, double Y) CentreOfMass(ReadOnlySpan<float> image, int width, int height)
    {
        Check(image, width, height);
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double v = image[y * width + x];
                mass += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        return mass > 0 ? (mx / mass, my / mass) : (width / 2.0, height / 2.0);
    }

    /// <summary>
    /// The digit prepared as MNIST's: light strokes on a dark background (<see cref="HasLightBackground"/>,
    /// <see cref="ToInk"/>), the strokes' bounding box resampled (<see cref="ResampleArea"/>) so that its
    /// longer side is <see cref="Box"/> pixels and the other <c>max(1, round(side 20 / longer))</c>,
    /// then placed in a <see cref="Side"/> x <see cref="Side"/> image at the whole-pixel offset
    /// <c>round(14.5 - c)</c> (halves away from zero) that brings its centre of mass <c>c</c>
    /// (<see cref="CentreOfMass"/>) nearest to <see cref="CentreOfMassTarget"/>, kept inside the image. A 28 x 28 image is taken as already prepared (MNIST's own digits):
    /// only inverted when its background is light. Null when the image is blank (no contrast).
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match, or a value is not in [0, 1] (NaN included).</exception>
    public static PreparedDigit? Prepare(ReadOnlySpan<float> grey, int width, int height)
    {
        Check(grey, width, height);
        for (int i = 0; i < grey.Length; i++)
            if (!(grey[i] >= 0 && grey[i] <= 1))
                throw new ArgumentException($"grey value {grey[i]} at ({i % width}, {i / width}) is not in [0, 1]", nameof(grey));
        bool invert = HasLightBackground(grey, width, height);
        if (width == Side && height == Side)
        {
            var pixels = new float[Side * Side];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = invert ? 1 - grey[i] : grey[i];
            if (pixels.Max() - BorderMean(pixels, Side, Side) < MinContrast) return null;
            return new PreparedDigit(pixels, invert, (0, 0, Side, Side), (0, 0, Side, Side));
        }
        if (ToInk(grey, width, height, invert) is not { } ink || BoundingBox(ink, width, height) is not { } box) return null;

        double scale = (double)Box / Math.Max(box.Width, box.Height);
        int w = Math.Max(1, (int)Math.Round(box.Width * scale, MidpointRounding.AwayFromZero));
        int h = Math.Max(1, (int)Math.Round(box.Height * scale, MidpointRounding.AwayFromZero));
        var fitted = ResampleArea(ink, width, height, box, w, h);
        var (cx, cy) = CentreOfMass(fitted, w, h);
        int left = Math.Clamp((int)Math.Round(CentreOfMassTarget - cx, MidpointRounding.AwayFromZero), 0, Side - w);
        int top = Math.Clamp((int)Math.Round(CentreOfMassTarget - cy, MidpointRounding.AwayFromZero), 0, Side - h);
        var result = new float[Side * Side];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) result[(top + y) * Side + left + x] = fitted[y * w + x];
        return new PreparedDigit(result, invert, box, (left, top, w, h));
    }

    private static void Check(ReadOnlySpan<float> image, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (image.Length != (long)width * height)
            throw new ArgumentException($"the image has {image.Length} values, not {width} x {height}", nameof(image));
    }
}
