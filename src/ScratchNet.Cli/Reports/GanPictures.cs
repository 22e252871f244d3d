using ScratchNet.Models;
using ScratchNet.Plotting;

namespace ScratchNet.Cli.Reports;

/// <summary>
/// A GAN run's pictures: 64 samples from one fixed set of codes z (drawn once from <see cref="CodesSeed"/>),
/// as a GIF frame every N epochs (epoch 0 is the untrained generator) and as a PNG grid at the end,
/// so the frames show the same codes turning into digits.
/// </summary>
public sealed class GanPictures
{
    /// <summary>The seed of the fixed codes (the same in every run, so runs can be compared).</summary>
    public const ulong CodesSeed = 2024;

    /// <summary>Samples per frame: an 8 x 8 grid.</summary>
    public const int Count = 64;

    private readonly GanModel _gan;
    private readonly Tensors.Tensor _codes;
    private readonly int _every;
    private readonly AnimatedGifBuilder _gif = new() { DelayCentiseconds = 40, LastFrameDelayCentiseconds = 300 };
    private int _lastFrame = -1;

    /// <summary>Pictures of <paramref name="gan"/>, a frame every <paramref name="every"/> epochs.</summary>
    public GanPictures(GanModel gan, int every)
    {
        _gan = gan;
        _every = every;
        _codes = gan.DrawCodes(Count, new Rng(CodesSeed));
    }

    /// <summary>After epoch <paramref name="epoch"/> (0: before training): a frame when it is due, or the last.</summary>
    public void OnEpoch(int epoch, bool last)
    {
        if (epoch % _every != 0 && !last) return;
        _gif.AddFrame(Frame(epoch));
        _lastFrame = epoch;
    }

    /// <summary>Writes samples.png (the final generator on the fixed codes) and samples.gif; returns (caption, file name) of each.</summary>
    public List<(string Caption, string File)> Finish(string dir, int finalEpoch, CancellationToken cancel)
    {
        var files = new List<(string, string)>();
        cancel.ThrowIfCancellationRequested();
        PngEncoder.Save(Path.Combine(dir, "samples.png"), ImageGrid.SquareImages(_gan.Sample(_codes), columns: 8));
        files.Add(($"{Count} samples of the generator after epoch {finalEpoch}, from fixed codes z ~ N(0, I) (seed {CodesSeed})", "samples.png"));
        if (_lastFrame != finalEpoch) _gif.AddFrame(Frame(finalEpoch));
        cancel.ThrowIfCancellationRequested();
        _gif.Save(Path.Combine(dir, "samples.gif"));
        files.Add(($"The same {Count} codes through the generator during training (every {_every} epoch{(_every == 1 ? "" : "s")})", "samples.gif"));
        return files;
    }

    private RgbImage Frame(int epoch)
    {
        var grid = ImageGrid.SquareImages(_gan.Sample(_codes), columns: 8);
        int band = RgbImage.TextHeight(1) + 6;
        var frame = new RgbImage(grid.Width, grid.Height + band, Rgb.White);
        frame.DrawImage(grid, 0, band);
        frame.DrawText(3, 3, $"epoch {epoch}", Rgb.Black);
        return frame;
    }
}
