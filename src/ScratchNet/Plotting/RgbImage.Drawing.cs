namespace ScratchNet.Plotting;

public sealed partial class RgbImage
{
    /// <summary>Fills the rectangle [x, x + width) x [y, y + height), clipped to the image.</summary>
    public void FillRect(int x, int y, int width, int height, Rgb color)
    {
        int x0 = Math.Max(0, x), x1 = Math.Min(Width, x + width);
        int y0 = Math.Max(0, y), y1 = Math.Min(Height, y + height);
        for (int py = y0; py < y1; py++)
            for (int px = x0; px < x1; px++)
                SetPixel(px, py, color);
    }

    /// <summary>Blends a translucent rectangle (opacity <paramref name="alpha"/>).</summary>
    public void FillRect(int x, int y, int width, int height, Rgb color, double alpha)
    {
        int x0 = Math.Max(0, x), x1 = Math.Min(Width, x + width);
        int y0 = Math.Max(0, y), y1 = Math.Min(Height, y + height);
        for (int py = y0; py < y1; py++)
            for (int px = x0; px < x1; px++)
                BlendPixel(px, py, color, alpha);
    }

    /// <summary>Draws the 1-pixel outline of a rectangle.</summary>
    public void DrawRect(int x, int y, int width, int height, Rgb color)
    {
        FillRect(x, y, width, 1, color);
        FillRect(x, y + height - 1, width, 1, color);
        FillRect(x, y, 1, height, color);
        FillRect(x + width - 1, y, 1, height, color);
    }

    /// <summary>
    /// Anti-aliased disc of centre (cx, cy) and radius r (pixel centres sit at integer + 0.5).
    /// Coverage of a pixel is approximated by <c>clamp(r + 0.5 - distance, 0, 1)</c>.
    /// </summary>
    public void FillCircle(double cx, double cy, double radius, Rgb color)
    {
        if (!(radius > 0) || !double.IsFinite(cx) || !double.IsFinite(cy)) return;
        int x0 = (int)Math.Floor(cx - radius - 1), x1 = (int)Math.Ceiling(cx + radius + 1);
        int y0 = (int)Math.Floor(cy - radius - 1), y1 = (int)Math.Ceiling(cy + radius + 1);
        for (int y = Math.Max(0, y0); y <= Math.Min(Height - 1, y1); y++)
        for (int x = Math.Max(0, x0); x <= Math.Min(Width - 1, x1); x++)
        {
            double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
            double coverage = radius + 0.5 - Math.Sqrt(dx * dx + dy * dy);
            BlendPixel(x, y, color, Math.Min(1, coverage));
        }
    }

    /// <summary>A data point marker: a disc of <paramref name="fill"/> with a ring of <paramref name="edge"/>.</summary>
    public void DrawMarker(double cx, double cy, double radius, Rgb fill, Rgb edge, double edgeWidth = 1)
    {
        FillCircle(cx, cy, radius, edge);
        FillCircle(cx, cy, radius - edgeWidth, fill);
    }

    /// <summary>
    /// Anti-aliased line segment of the given width from (x0, y0) to (x1, y1), with round caps.
    /// Each pixel's opacity is <c>clamp(width / 2 + 0.5 - d, 0, 1)</c> where d is the distance from the
    /// pixel centre to the segment: simpler than Wu's algorithm and correct for any width.
    /// </summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgb color, double width = 1)
    {
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1) || !(width > 0)) return;
        double half = width / 2;
        int bx0 = Math.Max(0, (int)Math.Floor(Math.Min(x0, x1) - half - 1));
        int bx1 = Math.Min(Width - 1, (int)Math.Ceiling(Math.Max(x0, x1) + half + 1));
        int by0 = Math.Max(0, (int)Math.Floor(Math.Min(y0, y1) - half - 1));
        int by1 = Math.Min(Height - 1, (int)Math.Ceiling(Math.Max(y0, y1) + half + 1));
        double dx = x1 - x0, dy = y1 - y0, lengthSquared = dx * dx + dy * dy;
        for (int y = by0; y <= by1; y++)
        for (int x = bx0; x <= bx1; x++)
        {
            double px = x + 0.5 - x0, py = y + 0.5 - y0;
            double t = lengthSquared > 0 ? Math.Clamp((px * dx + py * dy) / lengthSquared, 0, 1) : 0;
            double ex = px - t * dx, ey = py - t * dy;
            double coverage = half + 0.5 - Math.Sqrt(ex * ex + ey * ey);
            if (coverage > 0) BlendPixel(x, y, color, Math.Min(1, coverage));
        }
    }

    /// <summary>Draws the segments joining consecutive points (a polyline); non-finite points break the line.</summary>
    public void DrawPolyline(ReadOnlySpan<(double X, double Y)> points, Rgb color, double width = 1)
    {
        for (int i = 1; i < points.Length; i++)
            DrawLine(points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, color, width);
    }
}
