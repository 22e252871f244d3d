namespace ScratchNet.Plotting;

/// <summary>How a series' line is stroked in an SVG chart.</summary>
public enum LineStyle
{
    /// <summary>A continuous line.</summary>
    Solid,

    /// <summary>Long dashes (6 on, 4 off).</summary>
    Dashed,

    /// <summary>Dots (2 on, 3 off).</summary>
    Dotted,

    /// <summary>Dash, dot (8 on, 3 off, 2 on, 3 off).</summary>
    DashDot,
}
