namespace ScratchNet.Plotting;

/// <summary>PNG pixel layouts written by <see cref="PngEncoder"/> (the values are the PNG colour-type codes), 8 bits per channel.</summary>
public enum PngColorType : byte
{
    /// <summary>One byte per pixel: grey level.</summary>
    Grayscale = 0,

    /// <summary>Three bytes per pixel: R, G, B.</summary>
    Rgb = 2,

    /// <summary>One byte per pixel: an index into a palette of at most 256 colours (PLTE chunk).</summary>
    Indexed = 3,

    /// <summary>Four bytes per pixel: R, G, B, A (straight, not premultiplied alpha).</summary>
    Rgba = 6,
}
