using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>DigitImage's steps on small images whose answers are worked out by hand.</summary>
public class DigitImageTests
{
    private static float[] Blank(int width, int height, float value = 0) => Enumerable.Repeat(value, width * height).ToArray();

    [Fact]
    public void LuminanceIsRec601BlendedOntoWhite()
    {
        Assert.Equal(0.299f, DigitImage.Luminance(1, 0, 0, 1), 6);
        Assert.Equal(0.587f, DigitImage.Luminance(0, 1, 0, 1), 6);
        Assert.Equal(0.114f, DigitImage.Luminance(0, 0, 1, 1), 6);
        Assert.Equal(1f, DigitImage.Luminance(0, 0, 0, 0), 6);
        Assert.Equal(0.5f, DigitImage.Luminance(0, 0, 0, 0.5f), 6);
    }

    [Fact]
    public void TheBoundingBoxHoldsEveryInkPixel()
    {
        var ink = Blank(10, 8);
        ink[2 * 10 + 3] = 0.5f;
        ink[5 * 10 + 6] = 1;
        Assert.Equal((3, 2, 4, 4), DigitImage.BoundingBox(ink, 10, 8));
        Assert.Null(DigitImage.BoundingBox(Blank(10, 8), 10, 8));
    }

    [Fact]
    public void AreaResamplingWeighsEachSourcePixelByItsOverlap()
    {
        // Three pixels into two: each output covers 1.5 source pixels, the middle one half each.
        var two = DigitImage.ResampleArea([1, 0, 1], 3, 1, (0, 0, 3, 1), 2, 1);
        Assert.Equal(2 / 3.0, two[0], 6);
        Assert.Equal(2 / 3.0, two[1], 6);
        // A 2x2 mean, taken from inside a larger image.
        var one = DigitImage.ResampleArea([9, 9, 9, 9, 1, 2, 9, 3, 6], 3, 3, (1, 1, 2, 2), 1, 1);
        Assert.Equal(3f, one[0], 6);
    }

    [Fact]
    public void TheCentreOfMassCountsPixelCentres()
    {
        Assert.Equal((1.5, 0.5), DigitImage.CentreOfMass([0, 1, 0], 3, 1) is var c ? (c.X, c.Y) : default);
        var (x, y) = DigitImage.CentreOfMass([3, 0, 0, 1], 2, 2);
        Assert.Equal((3 * 0.5 + 1 * 1.5) / 4, x, 12);
        Assert.Equal((3 * 0.5 + 1 * 1.5) / 4, y, 12);
    }

    [Fact]
    public void ADarkSquareOnWhiteIsInvertedFittedInto20x20AndCentred()
    {
        var grey = Blank(30, 30, 1);
        foreach (var (x, y) in new[] { (20, 3), (21, 3), (20, 4), (21, 4) }) grey[y * 30 + x] = 0;
        var digit = DigitImage.Prepare(grey, 30, 30)!;
        Assert.True(digit.Inverted);
        Assert.Equal((20, 3, 2, 2), digit.BoundingBox);
        Assert.Equal((5, 5, 20, 20), digit.Placement); // centre of mass 10 in the box: round(14.5 - 10) = 5
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                Assert.Equal(x is >= 5 and < 25 && y is >= 5 and < 25 ? 1f : 0f, digit.Pixels[y * 28 + x]);
    }

    [Fact]
    public void TheCentreOfMassNotTheBoxIsCentred()
    {
        // An L, 2 wide and 4 tall, light on black: scaled by 5 to 10 x 20, a 5 x 20 bar and a 5 x 5 foot.
        // Mass 100 + 25; cx = (100 * 2.5 + 25 * 7.5) / 125 = 3.5, cy = (100 * 10 + 25 * 17.5) / 125 = 11.5,
        // so the box goes to round(14.5 - 3.5) = 11 and round(14.5 - 11.5) = 3, putting the centre at 14.5.
        var grey = Blank(40, 40);
        foreach (var (x, y) in new[] { (17, 9), (17, 10), (17, 11), (17, 12), (18, 12) }) grey[y * 40 + x] = 1;
        var digit = DigitImage.Prepare(grey, 40, 40)!;
        Assert.False(digit.Inverted);
        Assert.Equal((17, 9, 2, 4), digit.BoundingBox);
        Assert.Equal((11, 3, 10, 20), digit.Placement);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                int px = x - 11, py = y - 3;
                bool bar = px is >= 0 and < 5 && py is >= 0 and < 20, foot = px is >= 5 and < 10 && py is >= 15 and < 20;
                Assert.Equal(bar || foot ? 1f : 0f, digit.Pixels[y * 28 + x]);
            }
        var (cx, cy) = DigitImage.CentreOfMass(digit.Pixels, 28, 28);
        Assert.Equal(14.5, cx, 12);
        Assert.Equal(14.5, cy, 12);
    }

    [Fact]
    public void GreyPaperAndAGreyPenAreStretchedToBlackAndWhite()
    {
        // Paper at 0.6 and strokes at 0.2: inverted, 0.4 and 0.8; the background level 0.4 becomes 0, the stroke 1.
        var grey = Blank(50, 30, 0.6f);
        for (int y = 10; y < 20; y++) grey[y * 50 + 25] = 0.2f;
        var digit = DigitImage.Prepare(grey, 50, 30)!;
        Assert.True(digit.Inverted);
        Assert.Equal((25, 10, 1, 10), digit.BoundingBox);
        Assert.Equal((14, 5, 2, 20), digit.Placement); // 2 x 20 with its centre of mass at (1, 10): round(13.5) = 14, round(4.5) = 5
        Assert.Equal(1f, digit.Pixels.Max());
        Assert.Equal(40, digit.Pixels.Count(v => v == 1));
        Assert.Equal(744, digit.Pixels.Count(v => v == 0));
    }

    [Fact]
    public void FaintNoiseIsBackground()
    {
        var grey = Blank(60, 60, 0.9f);
        var rng = new Rng(4);
        for (int i = 0; i < grey.Length; i++) grey[i] += (float)(rng.NextDouble() * 0.06 - 0.03);
        for (int y = 20; y < 40; y++) for (int x = 30; x < 34; x++) grey[y * 60 + x] = 0.1f;
        var digit = DigitImage.Prepare(grey, 60, 60)!;
        Assert.Equal((30, 20, 4, 20), digit.BoundingBox);
    }

    [Fact]
    public void ABlankImageIsNoDigit()
    {
        Assert.Null(DigitImage.Prepare(Blank(40, 30, 0.8f), 40, 30));
        Assert.Null(DigitImage.Prepare(Blank(28, 28), 28, 28));
        var nearly = Blank(40, 30, 0.8f);
        nearly[300] = 0.75f;
        Assert.Null(DigitImage.Prepare(nearly, 40, 30));
    }

    [Fact]
    public void A28x28ImageIsTakenAsPreparedAndOnlyInverted()
    {
        var grey = Blank(28, 28, 1);
        grey[5 * 28 + 3] = 0;
        grey[6 * 28 + 3] = 0.25f;
        var digit = DigitImage.Prepare(grey, 28, 28)!;
        Assert.True(digit.Inverted);
        Assert.Equal(1f, digit.Pixels[5 * 28 + 3]);
        Assert.Equal(0.75f, digit.Pixels[6 * 28 + 3]);
        Assert.Equal(782, digit.Pixels.Count(v => v == 0));
    }

    [Fact]
    public void WrongSizesAreArgumentErrors()
    {
        Assert.Throws<ArgumentException>(() => DigitImage.Prepare(new float[5], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitImage.Prepare([], 0, 0));
        Assert.Throws<ArgumentException>(() => DigitImage.Prepare([0, float.NaN, 0, 0], 2, 2));
        Assert.Throws<ArgumentException>(() => DigitImage.Prepare([0, 1.5f, 0, 0], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitImage.ResampleArea(new float[4], 2, 2, (1, 1, 2, 1), 1, 1));
    }
}
