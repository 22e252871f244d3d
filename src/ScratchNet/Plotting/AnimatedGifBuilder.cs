using ScratchNet.IO;
namespace ScratchNet.Plotting;

/// <summary>
/// Collects frames and writes an animated GIF that loops forever:
/// <code>
/// var gif = new AnimatedGifBuilder { DelayCentiseconds = 8, LastFrameDelayCentiseconds = 150 };
/// for (...) gif.AddFrame(frame);
/// gif.Save("runs/xor/boundary.gif");
/// </code>
/// </summary>
public sealed class AnimatedGifBuilder
{
    private readonly List<RgbImage> _frames = [];
    private readonly List<int?> _delays = [];

    /// <summary>Display time of each frame in 1/100 s (default 10 = 0.1 s).</summary>
    public int DelayCentiseconds { get; set; } = 10;

    /// <summary>Display time of the last frame (so the final state can be seen); null = <see cref="DelayCentiseconds"/>.</summary>
    public int? LastFrameDelayCentiseconds { get; set; } = 120;

    /// <summary>How many times to play; 0 = forever.</summary>
    public int LoopCount { get; set; }

    /// <summary>Give every frame its own palette (better colours when frames differ a lot, larger files); default one shared palette.</summary>
    public bool PerFramePalettes { get; set; }

    /// <summary>Number of frames added.</summary>
    public int FrameCount => _frames.Count;

    /// <summary>Adds a frame (copied, so the caller may keep drawing on its image). All frames must have the same size.</summary>
    public AnimatedGifBuilder AddFrame(RgbImage frame, int? delayCentiseconds = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_frames.Count > 0 && (frame.Width != _frames[0].Width || frame.Height != _frames[0].Height))
            throw new ArgumentException($"Frame {_frames.Count} is {frame.Width} x {frame.Height} but the first frame is {_frames[0].Width} x {_frames[0].Height}.", nameof(frame));
        _frames.Add(frame.Clone());
        _delays.Add(delayCentiseconds);
        return this;
    }

    /// <summary>The GIF file's bytes.</summary>
    public byte[] ToGif()
    {
        if (_frames.Count == 0) throw new InvalidOperationException("No frames were added to the animation.");
        var delays = new int[_frames.Count];
        for (int i = 0; i < delays.Length; i++)
            delays[i] = _delays[i] ?? (i == delays.Length - 1 && LastFrameDelayCentiseconds is int last ? last : DelayCentiseconds);
        return GifEncoder.Encode(_frames, delays, LoopCount, PerFramePalettes);
    }

    /// <summary>Writes the GIF atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, ToGif());
}
