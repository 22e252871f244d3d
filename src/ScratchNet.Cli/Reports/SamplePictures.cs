using ScratchNet.Plotting;
using ScratchNet.Training;

namespace ScratchNet.Cli.Reports;

/// <summary>
/// An image generator's pictures (a GAN's generator, a VAE's decoder): 64 images from one fixed set of
/// codes z ~ N(0, I) (drawn once from <see cref="CodesSeed"/>), as a GIF frame every N epochs (epoch 0
/// is the untrained network) and as a PNG grid at the end, so the frames show the same codes turning
/// into digits.
/// </summary>
public sealed class SamplePictures
{
    /// <summary>The seed of the fixed codes (the same in every run, so runs can be compared).</summary>
    public const ulong CodesSeed = 2024;

    /// <summary>Samples per frame: an 8 x 8 grid.</summary>
    public const int Count = 64;

    private readonly ImageGenerator _generator;
    private readonly Tensors.Tensor _codes;
    private readonly int _every, _height, _width;
    private readonly AnimatedGifBuilder _gif = new() { DelayCentiseconds = 40, LastFrameDelayCentiseconds = 300 };
    private int _lastFrame = -1;

    /// <summary>Pictures of <paramref name="generator"/>'s images, a frame every <paramref name="every"/> epochs.</summary>
    public SamplePictures(ImageGenerator generator, int every)
    {
        _generator = generator;
        _every = every;
        _codes = generator.DrawCodes(Count, new Rng(CodesSeed));
        int[] image = generator.Spec.Image;
        (_height, _width) = image.Length >= 2 ? (image[^2], image[^1]) : (1, image[0]);
    }

    /// <summary>After epoch <paramref name="epoch"/> (0: before training): a frame when it is due, or the last.</summary>
    public void OnEpoch(int epoch, bool last)
    {
        if (epoch % _every != 0 && !last) return;
        _gif.AddFrame(Frame(epoch));
        _lastFrame = epoch;
    }

    /// <summary>Writes samples.png (the final network on the fixed codes) and samples.gif; returns (caption, file name) of each.</summary>
    public List<(string Caption, string File)> Finish(string dir, int finalEpoch, CancellationToken cancel)
    {
        var files = new List<(string, string)>();
        cancel.ThrowIfCancellationRequested();
        PngEncoder.Save(Path.Combine(dir, "samples.png"), Grid());
        files.Add(($"{Count} samples after epoch {finalEpoch}, from fixed codes z ~ N(0, I) (seed {CodesSeed}; scratchnet generate draws more)", "samples.png"));
        if (_lastFrame != finalEpoch) _gif.AddFrame(Frame(finalEpoch));
        cancel.ThrowIfCancellationRequested();
        _gif.Save(Path.Combine(dir, "samples.gif"));
        files.Add(($"The same {Count} codes decoded during training (every {_every} epoch{(_every == 1 ? "" : "s")})", "samples.gif"));
        return files;
    }

    private RgbImage Grid() =>
        ImageGrid.Tiles(_generator.Decode(_codes).Span, Count, _height, _width, columns: 8, ColorMap.Gray, TileScaling.UnitRange, pixelScale: 2);

    private RgbImage Frame(int epoch)
    {
        var grid = Grid();
        int band = RgbImage.TextHeight(1) + 6;
        var frame = new RgbImage(grid.Width, grid.Height + band, Rgb.White);
        frame.DrawImage(grid, 0, band);
        frame.DrawText(3, 3, $"epoch {epoch}", Rgb.Black);
        return frame;
    }
}
