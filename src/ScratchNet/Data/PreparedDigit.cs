namespace ScratchNet.Data;

/// <summary>
/// A digit image prepared as MNIST's were (<see cref="DigitImage.Prepare"/>), with what was done to it.
/// </summary>
/// <param name="Pixels">The 28 x 28 image, row-major, light strokes (up to 1) on a dark background (0).</param>
/// <param name="Inverted">Whether the source had a light background and was inverted (<c>1 - v</c>).</param>
/// <param name="BoundingBox">The strokes' bounding box in the source image (x, y of its top-left pixel; width, height).</param>
/// <param name="Placement">Where the fitted box lies in the 28 x 28 image after centring by the centre of mass.</param>
public sealed record PreparedDigit(
    float[] Pixels,
    bool Inverted,
    (int X, int Y, int Width, int Height) BoundingBox,
    (int X, int Y, int Width, int Height) Placement);
