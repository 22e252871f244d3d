namespace ScratchNet.Plotting;

public sealed partial class RgbImage
{
    /// <summary>Width in pixels of <paramref name="text"/> drawn by <see cref="DrawText"/> at the given scale.</summary>
    public static int MeasureText(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : (text.Length * BitmapFont.Advance - 1) * scale;
    }

    /// <summary>Height in pixels of one line of text at the given scale (including the descender row).</summary>
    public static int TextHeight(int scale = 1) => BitmapFont.GlyphHeight * scale;

    /// <summary>
    /// Writes <paramref name="text"/> with the built-in 5 x 7 bitmap font, its top-left corner at (x, y),
    /// each font pixel drawn as a <paramref name="scale"/> x <paramref name="scale"/> square.
    /// </summary>
    public void DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), $"Text scale must be at least 1, got {scale}.");
        for (int i = 0; i < text.Length; i++)
        {
            int gx = x + i * BitmapFont.Advance * scale;
            for (int column = 0; column < BitmapFont.GlyphWidth; column++)
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
                if (BitmapFont.IsInk(text[i], column, row))
                    FillRect(gx + column * scale, y + row * scale, scale, scale, color);
        }
    }

    /// <summary>Writes text on a padded, translucent label box (for captions over busy pictures).</summary>
    public void DrawLabel(int x, int y, string text, Rgb color, Rgb background, int scale = 1, int padding = 3, double backgroundAlpha = 0.85)
    {
        FillRect(x, y, MeasureText(text, scale) + 2 * padding, TextHeight(scale) + 2 * padding - scale, background, backgroundAlpha);
        DrawText(x + padding, y + padding, text, color, scale);
    }
}
