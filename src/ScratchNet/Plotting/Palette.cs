namespace ScratchNet.Plotting;

/// <summary>
/// Categorical colours. The series palette is Okabe-Ito (Okabe and Ito, 2008), chosen because it stays
/// distinguishable for the common forms of colour blindness; its yellow is left out (too pale on white).
/// </summary>
public static class Palette
{
    private static readonly Rgb[] SeriesColors =
    [
        Rgb.FromHex("#0072b2"), // blue
        Rgb.FromHex("#d55e00"), // vermillion
        Rgb.FromHex("#009e73"), // bluish green
        Rgb.FromHex("#e69f00"), // orange
        Rgb.FromHex("#cc79a7"), // reddish purple
        Rgb.FromHex("#56b4e9"), // sky blue
        Rgb.FromHex("#000000"), // black
    ];

    /// <summary>Number of distinct series colours before they repeat.</summary>
    public static int SeriesCount => SeriesColors.Length;

    /// <summary>Colour of series <paramref name="index"/> (cycles).</summary>
    public static Rgb Series(int index) => SeriesColors[((index % SeriesColors.Length) + SeriesColors.Length) % SeriesColors.Length];

    /// <summary>Colour of class <paramref name="index"/> for points and confusion matrices (same cycle as series).</summary>
    public static Rgb Class(int index) => Series(index);

    /// <summary>The pale tint of class <paramref name="index"/> used to fill its decision region.</summary>
    public static Rgb ClassRegion(int index) => Class(index).Lighten(0.72);

    /// <summary>Colour for mistakes (wrong predictions).</summary>
    public static Rgb Mistake => Rgb.FromHex("#c0392b");

    /// <summary>Colour for correct predictions.</summary>
    public static Rgb Correct => Rgb.FromHex("#2f3b45");
}
