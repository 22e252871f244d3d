namespace ScratchNet.Plotting;

/// <summary>
/// A continuous colour map: <see cref="Map(double)"/> sends t in [0, 1] to a colour by linear interpolation
/// between evenly spaced stops.
/// </summary>
public sealed class ColorMap
{
    private readonly Rgb[] _stops;

    /// <summary>Name shown in legends and docs.</summary>
    public string Name { get; }

    /// <summary>Builds a map from at least two evenly spaced stops.</summary>
    public ColorMap(string name, IReadOnlyList<Rgb> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (stops.Count < 2) throw new ArgumentException($"Colour map '{name}' needs at least 2 stops, got {stops.Count}.", nameof(stops));
        Name = name;
        _stops = [.. stops];
    }

    /// <summary>The colour at <paramref name="t"/> (clamped to [0, 1]; NaN maps to 0).</summary>
    public Rgb Map(double t)
    {
        if (double.IsNaN(t)) t = 0;
        t = Math.Clamp(t, 0, 1) * (_stops.Length - 1);
        int i = Math.Min((int)t, _stops.Length - 2);
        return Rgb.Lerp(_stops[i], _stops[i + 1], t - i);
    }

    /// <summary>The colour of <paramref name="value"/> on the scale [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public Rgb Map(double value, double min, double max) => Map(max > min ? (value - min) / (max - min) : 0.5);

    /// <summary>Perceptually uniform, colour-blind safe sequential map (matplotlib's default), for heat maps.</summary>
    public static ColorMap Viridis { get; } = new("viridis",
        [.. new[] { "#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725" }.Select(Rgb.FromHex)]);

    /// <summary>Diverging blue - white - red map (ColorBrewer RdBu reversed): negative weights blue, zero white, positive red.</summary>
    public static ColorMap Diverging { get; } = new("diverging",
        [.. new[] { "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b" }.Select(Rgb.FromHex)]);

    /// <summary>White to blue, for counts (confusion matrices).</summary>
    public static ColorMap Blues { get; } = new("blues",
        [.. new[] { "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b" }.Select(Rgb.FromHex)]);

    /// <summary>Black to white, for grey images such as MNIST digits.</summary>
    public static ColorMap Gray { get; } = new("gray", [Rgb.Black, Rgb.White]);

    /// <summary>White to black (ink on paper), for digits on a light page.</summary>
    public static ColorMap GrayInverted { get; } = new("gray-inverted", [Rgb.White, Rgb.FromHex("#111111")]);
}
