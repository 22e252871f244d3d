namespace ScratchNet.Plotting;

/// <summary>How <see cref="ImageGrid"/> maps tile values to the colour map's [0, 1].</summary>
public enum TileScaling
{
    /// <summary>Each tile on [-m, m] with m its largest |value|: zero sits at the map's centre (weights with a diverging map).</summary>
    SymmetricPerTile,

    /// <summary>All tiles on the same [-m, m]: tiles can be compared with each other.</summary>
    SymmetricShared,

    /// <summary>Each tile on its own [min, max] (images whatever their normalisation).</summary>
    MinMaxPerTile,

    /// <summary>Values used as they are, clamped to [0, 1] (pixel intensities).</summary>
    UnitRange,
}
