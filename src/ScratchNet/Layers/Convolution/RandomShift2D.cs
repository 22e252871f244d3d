using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Data augmentation as a layer: while training, each sample (all its channels together) is moved by
/// a random whole-pixel offset (dy, dx), each drawn uniformly from [−maxShift, maxShift], and the
/// uncovered border is filled with 0: <c>y[n, c, h, w] = x[n, c, h − dy, w − dx]</c>. At inference it
/// passes its input through unchanged.
/// </summary>
/// <remarks>
/// The offsets come from the layer's own <see cref="Rng"/>, forked from the build generator, two draws
/// (dy, then dx) per sample in batch order, so the same seed gives the same shifts. Backward moves the
/// gradient back: <c>dx[n, c, h, w] = dy[n, c, h + dy, w + dx]</c> (0 where that falls outside).
/// </remarks>
public sealed class RandomShift2D : Layer, IStochasticLayer
{
    private Rng? _rng;
    private int _batch = -1;
    private float[] _outputData = [], _gradInputData = [];
    private Tensor? _output, _gradInput;
    private int[] _shifts = [];
    private bool _passThrough;

    /// <summary>Random shifts of up to <paramref name="maxShift"/> pixels in each direction.</summary>
    public RandomShift2D(int maxShift = 2)
    {
        // The shifts are drawn from 2·maxShift + 1 values, which must be an int.
        if (maxShift < 0 || maxShift > (int.MaxValue - 1) / 2)
            throw new ArgumentOutOfRangeException(nameof(maxShift), $"RandomShift2D: maxShift must be between 0 and {(int.MaxValue - 1) / 2} (got {maxShift}).");
        MaxShift = maxShift;
    }

    /// <summary>The largest shift, in pixels, along each axis.</summary>
    public int MaxShift { get; }

    /// <summary>The layer's generator for shifts.</summary>
    public Rng Rng => _rng ?? throw new InvalidOperationException($"{this}: not built yet, so it has no generator.");

    /// <inheritdoc/>
    public override LayerSpec Spec => new("RandomShift2D", new Dictionary<string, string> { ["maxShift"] = SpecText.Int(MaxShift) });

    /// <summary>Rebuilds from a spec (maxShift defaults to 2).</summary>
    public static RandomShift2D FromSpec(LayerSpec spec) => new(spec.Settings.ContainsKey("maxShift") ? spec.GetInt("maxShift") : 2);

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new ArgumentException($"RandomShift2D expects per-sample input (channels, height, width), got {Tensor.FormatShape(inputShape)}.");
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        OutputShape(inputShape);
        _rng = rng.Fork();
        _batch = -1;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        if (input.Rank != 4 || input.Dim(1) != InputShape[0] || input.Dim(2) != InputShape[1] || input.Dim(3) != InputShape[2])
            throw new ShapeMismatchException("RandomShift2D.Forward: input", input.ShapeString, $"(batch, {InputShape[0]}, {InputShape[1]}, {InputShape[2]})");
        _passThrough = !training || MaxShift == 0;
        if (_passThrough) return input;
        int batch = input.Dim(0);
        var output = ConvBuffers.View(ref _outputData, ref _output, batch, InputShape);
        ConvBuffers.Grow(ref _shifts, 2 * batch);
        _batch = batch;
        DrawShifts(_shifts.AsSpan(0, 2 * batch));
        for (int n = 0; n < batch; n++) Shift(input.Span, output.Span, n, _shifts[2 * n], _shifts[2 * n + 1]);
        return output;
    }

    /// <summary>
    /// The next training batch's offsets from <see cref="Rng"/>, as <see cref="Forward"/> draws them:
    /// <c>shifts[2n] = dy</c>, <c>shifts[2n + 1] = dx</c> of sample n, each uniform in [−maxShift, maxShift],
    /// dy before dx, samples in order. A device engine that shifts on the device calls this instead of
    /// Forward, so both walk the one generator alike.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="shifts"/> has an odd length.</exception>
    public void DrawShifts(Span<int> shifts)
    {
        if (shifts.Length % 2 != 0)
            throw new ArgumentException($"RandomShift2D.DrawShifts: {shifts.Length} values, not two per sample.", nameof(shifts));
        var rng = Rng;
        for (int i = 0; i < shifts.Length; i++) shifts[i] = rng.NextInt(2 * MaxShift + 1) - MaxShift;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_passThrough) return gradOutput;
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("RandomShift2D.Backward: gradOutput", gradOutput.ShapeString, _output?.ShapeString ?? "(no forward yet)");
        var gradInput = ConvBuffers.View(ref _gradInputData, ref _gradInput, _batch, InputShape);
        for (int n = 0; n < _batch; n++) Shift(gradOutput.Span, gradInput.Span, n, -_shifts[2 * n], -_shifts[2 * n + 1]);
        return gradInput;
    }

    // to[n, c, h, w] = from[n, c, h − dy, w − dx], 0 outside.
    private void Shift(ReadOnlySpan<float> from, Span<float> to, int n, int dy, int dx)
    {
        int channels = InputShape[0], height = InputShape[1], width = InputShape[2], plane = height * width;
        int wLo = Math.Max(0, dx), wHi = Math.Min(width, width + dx);
        for (int c = 0; c < channels; c++)
        {
            int b = (n * channels + c) * plane;
            for (int h = 0; h < height; h++)
            {
                var row = to.Slice(b + h * width, width);
                int src = h - dy;
                if (src < 0 || src >= height || wHi <= wLo) { row.Clear(); continue; }
                row[..wLo].Clear();
                row[wHi..].Clear();
                from.Slice(b + src * width + wLo - dx, wHi - wLo).CopyTo(row[wLo..wHi]);
            }
        }
    }
}
