using ScratchNet.IO;
using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Plotting;

/// <summary>
/// Grids of small images: the first-layer weights of a dense layer seen as pictures (each hidden unit's
/// 784 input weights as a 28 x 28 tile, blue negative, red positive), and test images with their
/// predicted and true labels (mistakes in red) as SVG with the pixels embedded as one PNG data URI,
/// which keeps the text crisp.
/// </summary>
public static class ImageGrid
{
    /// <summary>
    /// Draws <paramref name="tileCount"/> tiles of <paramref name="tileHeight"/> x <paramref name="tileWidth"/>
    /// values each, stored one after the other row-major in <paramref name="values"/>, in rows of
    /// <paramref name="columns"/> tiles; each value becomes a <paramref name="pixelScale"/>-pixel square.
    /// </summary>
    public static RgbImage Tiles(ReadOnlySpan<float> values, int tileCount, int tileHeight, int tileWidth, int columns = 16,
                                 ColorMap? map = null, TileScaling scaling = TileScaling.SymmetricPerTile, int pixelScale = 2, int gap = 2)
    {
        if (tileCount < 1 || tileHeight < 1 || tileWidth < 1 || columns < 1 || pixelScale < 1 || gap < 0)
            throw new ArgumentOutOfRangeException(nameof(tileCount), $"Tile grid needs positive sizes: {tileCount} tiles of {tileHeight} x {tileWidth}, {columns} columns, scale {pixelScale}, gap {gap}.");
        int tileSize = tileHeight * tileWidth;
        if (values.Length < (long)tileCount * tileSize)
            throw new ArgumentException($"{tileCount} tiles of {tileHeight} x {tileWidth} need {(long)tileCount * tileSize} values, got {values.Length}.", nameof(values));
        map ??= scaling is TileScaling.SymmetricPerTile or TileScaling.SymmetricShared ? ColorMap.Diverging : ColorMap.Gray;
        columns = Math.Min(columns, tileCount);
        int rows = (tileCount + columns - 1) / columns;
        int cellWidth = tileWidth * pixelScale + gap, cellHeight = tileHeight * pixelScale + gap;
        var image = new RgbImage(columns * cellWidth + gap, rows * cellHeight + gap, Rgb.White);

        double shared = 0;
        if (scaling == TileScaling.SymmetricShared)
            foreach (float v in values[..(tileCount * tileSize)]) if (float.IsFinite(v)) shared = Math.Max(shared, Math.Abs(v));

        for (int t = 0; t < tileCount; t++)
        {
            var tile = values.Slice(t * tileSize, tileSize);
            var (lo, hi) = Range(tile, scaling, shared);
            int ox = gap + (t % columns) * cellWidth, oy = gap + (t / columns) * cellHeight;
            for (int y = 0; y < tileHeight; y++)
                for (int x = 0; x < tileWidth; x++)
                    image.FillRect(ox + x * pixelScale, oy + y * pixelScale, pixelScale, pixelScale, map.Map(tile[y * tileWidth + x], lo, hi));
        }
        return image;
    }

    /// <summary>
    /// The weights of a dense layer as tiles, one per unit: a (inputs x units) matrix with
    /// inputs = tileHeight * tileWidth shows column j as tile j (a (units x inputs) matrix is read by
    /// rows). At most <paramref name="maxTiles"/> units are shown; diverging colours, symmetric per tile.
    /// </summary>
    public static RgbImage WeightTiles(Tensor weights, int tileHeight, int tileWidth, int maxTiles = 64, int columns = 8, int pixelScale = 3)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int size = tileHeight * tileWidth;
        if (weights.Rank != 2)
            throw new ArgumentException($"Weights must be a matrix, got rank {weights.Rank}.", nameof(weights));
        int rows = weights.Dim(0), cols = weights.Dim(1);
        bool byColumn = rows == size;
        if (!byColumn && cols != size)
            throw new ArgumentException($"Weights ({rows} x {cols}) have no dimension of {tileHeight} x {tileWidth} = {size} to show as tiles.", nameof(weights));
        int units = Math.Min(byColumn ? cols : rows, Math.Max(1, maxTiles));
        var buffer = new float[units * size];
        var span = weights.Span;
        for (int u = 0; u < units; u++)
            for (int i = 0; i < size; i++)
                buffer[u * size + i] = byColumn ? span[i * cols + u] : span[u * cols + i];
        return Tiles(buffer, units, tileHeight, tileWidth, columns, ColorMap.Diverging, TileScaling.SymmetricPerTile, pixelScale, gap: 3);
    }

    /// <summary>
    /// Test images with a label under each: the predicted class, in red with the true class when the
    /// prediction is wrong (and a red frame). Images are <paramref name="count"/> tiles of
    /// <paramref name="height"/> x <paramref name="width"/> values stored one after the other, drawn dark on light.
    /// </summary>
    public static string LabelledSvg(ReadOnlySpan<float> images, int count, int height, int width, IReadOnlyList<int> predicted, IReadOnlyList<int> truth,
                                     IReadOnlyList<string>? classNames = null, int columns = 10, int pixelScale = 3, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count < count || truth.Count < count)
            throw new ArgumentException($"{count} images need {count} predictions and true classes, got {predicted.Count} and {truth.Count}.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"Need at least one image, got {count}.");
        columns = Math.Min(Math.Max(1, columns), count);
        const int gap = 6;
        const double labelHeight = 34;
        var tiles = Tiles(images, count, height, width, columns, ColorMap.GrayInverted, TileScaling.MinMaxPerTile, pixelScale, 0);
        int tileW = width * pixelScale, tileH = height * pixelScale;
        double labelWidth = 0;
        string Name(int c) => classNames is not null && c >= 0 && c < classNames.Count ? classNames[c] : c.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < count; i++) labelWidth = Math.Max(labelWidth, SvgBuilder.TextWidth(Name(predicted[i]), 12) + 8);
        double cellWidth = Math.Max(tileW, labelWidth) + gap;
        double cellHeight = tileH + labelHeight;
        int rows = (count + columns - 1) / columns;
        double top = string.IsNullOrEmpty(title) ? gap : 40;
        double totalWidth = Math.Ceiling(columns * cellWidth + gap), totalHeight = Math.Ceiling(top + rows * cellHeight + gap);

        var svg = new SvgBuilder().Begin(totalWidth, totalHeight);
        svg.Rect(0, 0, totalWidth, totalHeight, "#ffffff");
        if (!string.IsNullOrEmpty(title))
        {
            int wrong = 0;
            for (int i = 0; i < count; i++) if (predicted[i] != truth[i]) wrong++;
            svg.Text(totalWidth / 2, 24, string.Create(CultureInfo.InvariantCulture, $"{title}  ({wrong} of {count} wrong)"), 15, "#262626", "middle", "600");
        }
        for (int i = 0; i < count; i++)
        {
            int c = i % columns, r = i / columns;
            double cx = gap + c * cellWidth + (cellWidth - gap) / 2, y = top + r * cellHeight;
            double x = cx - tileW / 2.0;
            var tile = new RgbImage(tileW, tileH);
            for (int ty = 0; ty < tileH; ty++)
                Array.Copy(tiles.Pixels, 3 * ((r * tileH + ty) * tiles.Width + c * tileW), tile.Pixels, 3 * ty * tileW, 3 * tileW);
            svg.Raw($"<image x=\"{SvgBuilder.F(x)}\" y=\"{SvgBuilder.F(y)}\" width=\"{tileW}\" height=\"{tileH}\" href=\"data:image/png;base64,{Convert.ToBase64String(tile.ToPng())}\"/>\n");
            bool ok = predicted[i] == truth[i];
            string color = (ok ? Palette.Correct : Palette.Mistake).ToHex();
            svg.Rect(x - 1, y - 1, tileW + 2, tileH + 2, "none", ok ? "#d0d0d0" : color, ok ? 1 : 2.5);
            svg.Text(cx, y + tileH + 15, Name(predicted[i]), 12.5, color, "middle", ok ? null : "600");
            if (!ok) svg.Text(cx, y + tileH + 28, "true " + Name(truth[i]), 10.5, color, "middle");
        }
        return svg.End();
    }

    /// <summary>Writes <see cref="LabelledSvg"/> to a file atomically.</summary>
    public static void SaveLabelledSvg(string path, ReadOnlySpan<float> images, int count, int height, int width, IReadOnlyList<int> predicted, IReadOnlyList<int> truth,
                                       IReadOnlyList<string>? classNames = null, int columns = 10, int pixelScale = 3, string? title = null) =>
        AtomicFile.WriteAllText(path, LabelledSvg(images, count, height, width, predicted, truth, classNames, columns, pixelScale, title));

    private static (double Lo, double Hi) Range(ReadOnlySpan<float> tile, TileScaling scaling, double shared)
    {
        switch (scaling)
        {
            case TileScaling.UnitRange:
                return (0, 1);
            case TileScaling.SymmetricShared:
                return shared > 0 ? (-shared, shared) : (-1, 1);
            case TileScaling.SymmetricPerTile:
            {
                double m = 0;
                foreach (float v in tile) if (float.IsFinite(v)) m = Math.Max(m, Math.Abs(v));
                return m > 0 ? (-m, m) : (-1, 1);
            }
            default:
            {
                double lo = double.MaxValue, hi = double.MinValue;
                foreach (float v in tile) if (float.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
                return hi > lo ? (lo, hi) : (lo - 1, lo + 1);
            }
        }
    }
}
