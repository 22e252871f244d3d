namespace ScratchNet.Playground.Lab;

/// <summary>The page's colours: one per class, and a diverging scale (orange negative, white 0, blue positive).</summary>
public static class Palette
{
    /// <summary>Class colours (up to five classes).</summary>
    public static readonly (byte R, byte G, byte B)[] Classes = [(245, 147, 34), (8, 119, 189), (44, 160, 44), (148, 103, 189), (214, 39, 40)];

    /// <summary>The CSS colour of class <paramref name="k"/>.</summary>
    public static string Css(int k) { var (r, g, b) = Classes[k % Classes.Length]; return $"rgb({r},{g},{b})"; }

    /// <summary>The diverging colour of <paramref name="t"/> in [-1, 1]: orange below 0, white at 0, blue above.</summary>
    public static (byte R, byte G, byte B) Diverging(float t)
    {
        t = float.IsNaN(t) ? 0 : Math.Clamp(t, -1f, 1f);
        var (r, g, b) = t < 0 ? Classes[0] : Classes[1];
        float a = MathF.Abs(t);
        return (Mix(255, r, a), Mix(255, g, a), Mix(255, b, a));
    }

    /// <summary>The CSS form of <see cref="Diverging"/>.</summary>
    public static string DivergingCss(float t) { var (r, g, b) = Diverging(t); return $"rgb({r},{g},{b})"; }

    /// <summary>(1 - a)·from + a·to, rounded.</summary>
    public static byte Mix(float from, float to, float a) => (byte)Math.Clamp(MathF.Round(from + (to - from) * a), 0, 255);
}
