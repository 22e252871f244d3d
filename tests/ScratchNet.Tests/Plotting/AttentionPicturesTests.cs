using ScratchNet.Plotting;
using ScratchNet.Tensors;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Sequences;

namespace ScratchNet.Tests.Plotting;

/// <summary>The attention pictures of a run report: one per layer, one panel per head.</summary>
public class AttentionPicturesTests
{
    /// <summary>Two heads of T = 3: weight 1 on the diagonal is dark blue, 0 white, the masked places grey.</summary>
    [Fact]
    public void EachWeightIsOneCellOnAFixedScale()
    {
        float[] eye = [1, 0, 0, 0.5f, 0.5f, 0, 0, 0, 1];
        float[] weights = [.. eye, .. eye];
        var image = AttentionPictures.Draw(weights, heads: 2, steps: 3, labels: null, title: "t");
        var labelled = AttentionPictures.Draw(weights, heads: 2, steps: 3, labels: ["a", "b", "c"], title: "t");
        Assert.True(labelled.Width > image.Width, "the labels take a margin");
        // Panel 1's cells: the grid starts after the gap and the headers; find it from the dark (1, 1) cell.
        int top = RgbImage.TextHeight(2) + 12 + RgbImage.TextHeight() + 6, left = 16;
        Assert.Equal(ColorMap.Blues.Map(1.0), image[left + 7, top + 7]);                 // P[0, 0] = 1
        Assert.Equal(ColorMap.Blues.Map(0.5), image[left + 14 + 7, top + 14 + 7]);       // P[1, 1] = 0.5
        Assert.Equal(Rgb.FromHex("#e4e4e4"), image[left + 2 * 14 + 7, top + 7]);         // j > i: masked
        Assert.Equal(ColorMap.Blues.Map(0.0), image[left + 7, top + 2 * 14 + 7]);        // P[2, 0] = 0
    }

    [Fact]
    public void ATinyGptGivesOnePicturePerBlock()
    {
        var model = SequenceLayerTests.TinyGpt(blocks: 2).Build([6], 3);
        var images = AttentionPictures.Layers(model, Tensor.FromArray([0, 1, 2, 3, 4, 5], 6), ["a", "b", "c", " ", "\n", "f"]);
        Assert.Equal(2, images.Count);
        var e = Assert.Throws<ArgumentException>(() => AttentionPictures.Layers(model, Tensor.FromArray([0, 1, 2, 3, 4, 5], 6), ["a"]));
        Assert.Equal("AttentionPictures: 1 labels for 6 positions.", e.Message);
    }

    [Fact]
    public void ANamesTransformerRunReportsTheAttentionOfEachBlock()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "names-transformer", "--epochs", "1", "--limit-train", "200", "--limit-test", "10", "--out", dir.Path);
        string html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        for (int l = 1; l <= 4; l++)
        {
            string file = Path.Combine(dir.Path, $"attention-{l}.png");
            Assert.True(File.Exists(file), $"attention-{l}.png was not written");
            Assert.Contains($"(attention-{l}.png)", html);
            var png = PngTestDecoder.Decode(File.ReadAllBytes(file));
            Assert.True(png.Width > 4 * 16 * 14, $"{png.Width} px: four panels of 16 x 16 cells");
        }
        Assert.False(File.Exists(Path.Combine(dir.Path, "attention-5.png")));
    }
}
