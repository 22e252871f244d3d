namespace ScratchNet.Plotting;

/// <summary>
/// Reduces pictures to at most 256 colours for GIF. When a picture has few colours (charts, region
/// maps) the palette is exact; otherwise median cut (Heckbert, 1982): split the box of colours with the
/// widest channel range at its pixel-weighted median until there are enough boxes, and take each box's
/// weighted mean. Deterministic: ties broken by the packed colour value.
/// </summary>
internal static class ColorQuantizer
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<int, int> Histogram(IEnumerable<RgbImage> images)
    {
        var counts = new Dictionary<int, int>();
        foreach (var image in images)
        {
            var p = image.Pixels;
            for (int i = 0; i < p.Length; i += 3)
            {
                int rgb = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
                counts[rgb] = counts.GetValueOrDefault(rgb) + 1;
            }
        }
        return counts;
    }

    /// <summary>A palette of at most <paramref name="maxColors"/> packed RGB colours for the histogram.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static int[] Palette(Dictionary<int, int> histogram, int maxColors = 256)
    {
        var colors = histogram.Keys.Order().ToArray();
        if (colors.Length <= maxColors) return colors;

        var boxes = new List<int[]> { colors };
        while (boxes.Count < maxColors)
        {
            int best = -1, bestRange = 0, bestChannel = 0;
            for (int b = 0; b < boxes.Count; b++)
            {
                if (boxes[b].Length < 2) continue;
                for (int channel = 0; channel < 3; channel++)
                {
                    int shift = 16 - 8 * channel, lo = 255, hi = 0;
                    foreach (int c in boxes[b]) { int v = (c >> shift) & 0xFF; lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
                    if (hi - lo > bestRange) { bestRange = hi - lo; best = b; bestChannel = channel; }
                }
            }
            if (best < 0) break;
            int s = 16 - 8 * bestChannel;
            var box = boxes[best].OrderBy(c => (c >> s) & 0xFF).ThenBy(c => c).ToArray();
            long total = box.Sum(c => (long)histogram[c]), running = 0;
            int split = 1;
            for (int i = 0; i < box.Length - 1; i++)
            {
                running += histogram[box[i]];
                split = i + 1;
                if (running * 2 >= total) break;
            }
            boxes[best] = box[..split];
            boxes.Add(box[split..]);
        }

        var palette = new int[boxes.Count];
        for (int b = 0; b < boxes.Count; b++)
        {
            double r = 0, g = 0, bl = 0, w = 0;
            foreach (int c in boxes[b])
            {
                double n = histogram[c];
                r += n * ((c >> 16) & 0xFF); g += n * ((c >> 8) & 0xFF); bl += n * (c & 0xFF); w += n;
            }
            palette[b] = ((int)Math.Round(r / w) << 16) | ((int)Math.Round(g / w) << 8) | (int)Math.Round(bl / w);
        }
        return palette;
    }

    /// <summary>Palette index of every pixel: exact match, else the nearest colour (squared RGB distance).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static byte[] Map(RgbImage image, int[] palette)
    {
        var lookup = new Dictionary<int, byte>(palette.Length);
        for (int i = 0; i < palette.Length; i++) lookup.TryAdd(palette[i], (byte)i);
        var p = image.Pixels;
        var indices = new byte[image.Width * image.Height];
        for (int i = 0, j = 0; i < p.Length; i += 3, j++)
        {
            int rgb = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
            if (!lookup.TryGetValue(rgb, out byte index))
            {
                index = Nearest(rgb, palette);
                lookup[rgb] = index;
            }
            indices[j] = index;
        }
        return indices;
    }

    private static byte Nearest(int rgb, int[] palette)
    {
        int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
        int best = 0, bestDistance = int.MaxValue;
        for (int i = 0; i < palette.Length; i++)
        {
            int dr = r - ((palette[i] >> 16) & 0xFF), dg = g - ((palette[i] >> 8) & 0xFF), db = b - (palette[i] & 0xFF);
            int d = dr * dr + dg * dg + db * db;
            if (d < bestDistance) { bestDistance = d; best = i; }
        }
        return (byte)best;
    }
}
