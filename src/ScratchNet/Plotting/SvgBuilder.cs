using System.Globalization;
using System.Text;

namespace ScratchNet.Plotting;

/// <summary>
/// A small SVG text writer: invariant-culture numbers rounded to 2 decimals, escaped text, no ids,
/// so that the same chart always gives the same bytes.
/// </summary>
internal sealed class SvgBuilder
{
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif";

    private readonly StringBuilder _text = new();

    /// <summary>Approximate advance of one character of the sans-serif font, in em (for layout only).</summary>
    public const double CharWidthEm = 0.54;

    public static double TextWidth(string text, double fontSize) => text.Length * fontSize * CharWidthEm;

    /// <summary>A coordinate or length: at most 2 decimals, invariant culture, "-0" avoided.</summary>
    public static string F(double value)
    {
        double rounded = Math.Round(value, 2);
        if (rounded == 0) rounded = 0; // turns -0 into 0
        return rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (c < ' ' && c != '\t' && c != '\n') sb.Append(' ');
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    public SvgBuilder Begin(double width, double height)
    {
        _text.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(F(width)).Append("\" height=\"").Append(F(height))
             .Append("\" viewBox=\"0 0 ").Append(F(width)).Append(' ').Append(F(height))
             .Append("\" font-family=\"").Append(Escape(FontFamily)).Append("\">\n");
        return this;
    }

    public string End()
    {
        _text.Append("</svg>\n");
        return _text.ToString();
    }

    /// <summary>Appends raw markup (the caller guarantees it is well formed).</summary>
    public SvgBuilder Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    public SvgBuilder Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
    {
        _text.Append("<line x1=\"").Append(F(x1)).Append("\" y1=\"").Append(F(y1)).Append("\" x2=\"").Append(F(x2))
             .Append("\" y2=\"").Append(F(y2)).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(F(width)).Append('"');
        if (dash is not null) _text.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        _text.Append("/>\n");
        return this;
    }

    public SvgBuilder Rect(double x, double y, double width, double height, string fill, string? stroke = null, double strokeWidth = 1, double radius = 0, double opacity = 1)
    {
        _text.Append("<rect x=\"").Append(F(x)).Append("\" y=\"").Append(F(y)).Append("\" width=\"").Append(F(width))
             .Append("\" height=\"").Append(F(height)).Append("\" fill=\"").Append(fill).Append('"');
        if (radius > 0) _text.Append(" rx=\"").Append(F(radius)).Append('"');
        if (opacity < 1) _text.Append(" fill-opacity=\"").Append(F(opacity)).Append('"');
        if (stroke is not null) _text.Append(" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(F(strokeWidth)).Append('"');
        _text.Append("/>\n");
        return this;
    }

    public SvgBuilder Circle(double cx, double cy, double r, string fill, string? stroke = null, double strokeWidth = 1, double opacity = 1)
    {
        _text.Append("<circle cx=\"").Append(F(cx)).Append("\" cy=\"").Append(F(cy)).Append("\" r=\"").Append(F(r)).Append("\" fill=\"").Append(fill).Append('"');
        if (opacity < 1) _text.Append(" fill-opacity=\"").Append(F(opacity)).Append('"');
        if (stroke is not null) _text.Append(" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(F(strokeWidth)).Append('"');
        _text.Append("/>\n");
        return this;
    }

    /// <summary>A path; <paramref name="d"/> is built by the caller with <see cref="F"/>.</summary>
    public SvgBuilder Path(string d, string stroke, double width, string? dash = null)
    {
        _text.Append("<path d=\"").Append(d).Append("\" fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(F(width))
             .Append("\" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
        if (dash is not null) _text.Append(" stroke-dasharray=\"").Append(dash).Append('"');
        _text.Append("/>\n");
        return this;
    }

    /// <summary>Text at (x, y) (baseline); anchor is start, middle or end.</summary>
    public SvgBuilder Text(double x, double y, string text, double size, string fill, string anchor = "start", string? weight = null, double rotate = 0, string? baseline = null)
    {
        _text.Append("<text x=\"").Append(F(x)).Append("\" y=\"").Append(F(y)).Append("\" font-size=\"").Append(F(size)).Append("\" fill=\"").Append(fill).Append('"');
        if (anchor != "start") _text.Append(" text-anchor=\"").Append(anchor).Append('"');
        if (weight is not null) _text.Append(" font-weight=\"").Append(weight).Append('"');
        if (baseline is not null) _text.Append(" dominant-baseline=\"").Append(baseline).Append('"');
        if (rotate != 0) _text.Append(" transform=\"rotate(").Append(F(rotate)).Append(' ').Append(F(x)).Append(' ').Append(F(y)).Append(")\"");
        _text.Append('>').Append(Escape(text)).Append("</text>\n");
        return this;
    }
}
