using System.Globalization;

namespace ScratchNet.Plotting;

/// <summary>An opaque 8-bit sRGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Parses <c>#rrggbb</c> (the leading '#' is optional).</summary>
    public static Rgb FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var s = hex.StartsWith('#') ? hex[1..] : hex;
        if (s.Length != 6 || !int.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v))
            throw new FormatException($"Colour '{hex}' is not of the form #rrggbb.");
        return new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    /// <summary>The colour as <c>#rrggbb</c> (lower case), as SVG and CSS want it.</summary>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>Linear blend: <c>a + t (b - a)</c> per channel, t clamped to [0, 1].</summary>
    public static Rgb Lerp(Rgb a, Rgb b, double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        return new Rgb(Mix(a.R, b.R, t), Mix(a.G, b.G, t), Mix(a.B, b.B, t));
    }

    /// <summary>This colour blended towards white: <c>t = 0</c> keeps it, <c>t = 1</c> is white.</summary>
    public Rgb Lighten(double t) => Lerp(this, White, t);

    /// <summary>This colour blended towards black.</summary>
    public Rgb Darken(double t) => Lerp(this, Black, t);

    private static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);

    /// <summary>#ffffff.</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>#000000.</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <inheritdoc/>
    public override string ToString() => ToHex();
}
