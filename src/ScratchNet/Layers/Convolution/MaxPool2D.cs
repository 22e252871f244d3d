using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Max pooling over size x size windows of each channel: <c>y[n, c, oh, ow] = max_{i,j} x[n, c, oh·s + i, ow·s + j]</c>
/// (no padding; output side <c>(in − size) / s + 1</c>). The gradient flows only to each window's maximum.
/// </summary>
/// <remarks>
/// Ties: when several inputs of a window share the maximum, the first in row-major window order
/// (smallest i, then smallest j) wins and receives the whole gradient, the others none, exactly as
/// <see cref="ConvolutionReference.MaxPool2DForward"/>. NaN never wins a comparison, so a window whose
/// first element is NaN keeps it only if no other element is larger.
/// Forward saves the winner's index per output so Backward is a scatter.
/// </remarks>
public sealed class MaxPool2D : Layer, IPiecewiseLayer
{
    private ConvGeometry _g;
    private int _batch = -1;
    private float[] _outputData = [], _gradInputData = [];
    private Tensor? _output, _gradInput;
    private int[] _argMax = [];
    private Tensor? _lastInput;
    private IDeferredOutput? _inputWriter; // a fused run that has not written _lastInput (see PrepareForward)
    private bool _winnersRecorded;

    /// <summary>Max pooling over <paramref name="size"/> x <paramref name="size"/> windows, moved by <paramref name="stride"/> (default: size).</summary>
    public MaxPool2D(int size, int? stride = null)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"MaxPool2D: size must be at least 1 (got {size}).");
        int s = stride ?? size;
        if (s < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"MaxPool2D: stride must be at least 1 (got {s}).");
        Size = size;
        Stride = s;
    }

    /// <summary>Window side.</summary>
    public int Size { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new("MaxPool2D", new Dictionary<string, string>
    {
        ["size"] = Size.ToString(CultureInfo.InvariantCulture),
        ["stride"] = Stride.ToString(CultureInfo.InvariantCulture),
    });

    /// <summary>Rebuilds from a spec; stride defaults to size.</summary>
    public static MaxPool2D FromSpec(LayerSpec spec) =>
        new(spec.GetInt("size"), spec.Settings.ContainsKey("stride") ? spec.GetInt("stride") : null);

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        var g = ConvGeometry.From(inputShape, Size, Stride, 0, "MaxPool2D");
        return [g.Channels, g.OutHeight, g.OutWidth];
    }

    /// <summary>No parameters; size · size comparisons or additions per output value.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        long outputs = LayerCost.Elements(OutputShape(inputShape));
        return new LayerCost(0, outputs, LayerCost.Times(outputs, LayerCost.Times(Size, Size)));
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        _g = ConvGeometry.From(inputShape, Size, Stride, 0, "MaxPool2D");
        _batch = -1;
    }

    /// <summary>
    /// y = max-pool(x). While <paramref name="training"/> each window's winner is recorded for
    /// Backward; at inference only the maxima are computed, and a Backward that follows anyway finds
    /// the winners then, from the same input (which must be unchanged).
    /// </summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        var output = PrepareForward(_g.BatchOf(input, "MaxPool2D"), input, training);
        PoolAll(input);
        return output;
    }

    private void PoolAll(Tensor input) =>
        ConvParallel.For(_batch * _g.Channels, _g.InPlane, (this, input), static (s, start, end) =>
        {
            var self = s.Item1;
            int inPlane = self._g.InPlane;
            for (int plane = start; plane < end; plane++) self.ForwardPlane(s.input.Span.Slice(plane * inPlane, inPlane), plane);
        });

    /// <summary>
    /// The output buffer (and, when <paramref name="recordWinners"/>, the winners' indices) for a batch of
    /// <paramref name="batch"/> samples of <paramref name="input"/>, for a fused run that then pools plane
    /// by plane (<see cref="ForwardPlane"/>) as the layer before fills its planes: the state
    /// <see cref="Forward"/> would leave, once every plane is done. A run that hands each plane over
    /// from its scratch and leaves <paramref name="input"/> unwritten names itself as
    /// <paramref name="writtenLaterBy"/>: should the winners be wanted after an inference pass, this
    /// layer asks it to write the input first.
    /// </summary>
    internal Tensor PrepareForward(int batch, Tensor input, bool recordWinners, IDeferredOutput? writtenLaterBy = null)
    {
        var output = ConvBuffers.View(ref _outputData, ref _output, batch, [_g.Channels, _g.OutHeight, _g.OutWidth]);
        ConvBuffers.Grow(ref _argMax, output.Length);
        _batch = batch;
        _lastInput = input;
        _inputWriter = writtenLaterBy;
        _winnersRecorded = recordWinners;
        return output;
    }

    /// <summary>Values per output plane (OH · OW).</summary>
    internal int OutPlane => _g.OutPlane;

    /// <summary>
    /// Sample <paramref name="n"/>'s output (channels · OH · OW floats) and, while the winners are being
    /// recorded, their indices (else empty), for a fused run that pools in its own registers: it writes
    /// what <see cref="ForwardPlane"/> would, after <see cref="PrepareForward"/>.
    /// </summary>
    internal Span<float> PooledSample(int n, out Span<int> winners)
    {
        int outputs = _g.Channels * _g.OutPlane;
        if ((uint)n >= (uint)_batch) throw new ArgumentOutOfRangeException(nameof(n), $"MaxPool2D.PooledSample: sample {n} of {_batch}.");
        winners = _winnersRecorded ? _argMax.AsSpan(n * outputs, outputs) : default;
        return _output!.Span.Slice(n * outputs, outputs);
    }

    /// <summary>After an inference pass, the winners from the last input, pooled again with them recorded (the same maxima).</summary>
    internal void EnsureWinners()
    {
        if (_winnersRecorded || _lastInput is null) return;
        IDeferredOutput.Settle(ref _inputWriter, this);
        _winnersRecorded = true;
        PoolAll(_lastInput);
    }

    /// <summary>
    /// Max pooling is smooth only while every window keeps its winner: the fingerprint is a hash of
    /// the winners' positions in the last forward pass (see <see cref="IPiecewiseLayer"/>).
    /// </summary>
    public ulong RegionFingerprint()
    {
        if (_batch < 0) return 0;
        EnsureWinners();
        ulong h = 14695981039346656037UL;
        int n = _batch * _g.Channels * _g.OutHeight * _g.OutWidth;
        for (int i = 0; i < n; i++) h = (h ^ (uint)_argMax[i]) * 1099511628211UL;
        return h;
    }

    /// <summary>
    /// Pools <paramref name="x"/>, plane <paramref name="plane"/> (sample · channels + channel) of the
    /// input, wherever it is held (the input, or a fused run's scratch), into the output, and into the
    /// winners' indices when they are being recorded (indices into the input, as always).
    /// </summary>
    internal void ForwardPlane(ReadOnlySpan<float> x, int plane)
    {
        int outH = _g.OutHeight, outW = _g.OutWidth, width = _g.Width, s = Stride, size = Size;
        int inBase = plane * _g.InPlane, outBase = plane * _g.OutPlane;
        if (x.Length != _g.InPlane) throw new ArgumentException($"MaxPool2D.ForwardPlane: a plane of {x.Length} floats for {_g.InPlane}.");
        Span<float> y = _output!.Span.Slice(outBase, _g.OutPlane);
        Span<int> argOut = _argMax.AsSpan(outBase, _g.OutPlane);
        if (size == 2 && s == 2)
        {
            Pool2x2(x, width, outH, outW, inBase, y, argOut, _winnersRecorded);
            return;
        }
        for (int oh = 0; oh < outH; oh++)
            for (int ow = 0; ow < outW; ow++)
            {
                int best = oh * s * width + ow * s;
                float m = x[best];
                for (int i = 0; i < size; i++)
                {
                    int row = (oh * s + i) * width + ow * s;
                    for (int j = 0; j < size; j++)
                        if (x[row + j] > m) { m = x[row + j]; best = row + j; }
                }
                y[oh * outW + ow] = m;
                argOut[oh * outW + ow] = inBase + best;
            }
    }

    // The 2 x 2, stride 2 windows of a plane, without branches (on random data the comparisons of a
    // scalar loop mispredict about half the time): per output row eight windows at a time (256-bit),
    // then four (128-bit), then one by one. Each window is m = top-left, then m = v where v > m for
    // top-right, bottom-left, bottom-right: row-major order with a strict >, so the first maximum wins
    // ties and a NaN never wins a comparison, as the scalar loop above. The shuffles split each row
    // into the windows' left columns (even lanes) and right columns (odd lanes); in 256 bits they stay
    // within 128-bit lanes and leave the windows in the order 0 1 4 5 2 3 6 7, which one permute of
    // 64-bit pairs of the results puts right.

    /// <summary>
    /// The maxima, and when <paramref name="winners"/> the winners too (indices into the batch's input:
    /// <paramref name="inBase"/> + offset in the plane); the maxima are the same either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pool2x2(ReadOnlySpan<float> x, int width, int outH, int outW, int inBase, Span<float> y, Span<int> argOut, bool winners)
    {
        if (x.Length < 2 * outH * width || width < 2 * outW || y.Length < outH * outW || (winners && argOut.Length < outH * outW))
            throw new ArgumentException("MaxPool2D.Pool2x2: operand sizes do not match the geometry.");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref int ar = ref MemoryMarshal.GetReference(argOut);
        var left8 = Vector256.Create(0, 2, 8, 10, 4, 6, 12, 14);
        var left4 = Vector128.Create(0, 2, 4, 6);
        for (int oh = 0; oh < outH; oh++)
        {
            int r0 = 2 * oh * width, r1 = r0 + width, o = oh * outW, ow = 0;
            if (Avx2.IsSupported)
                for (; ow + 8 <= outW; ow += 8)
                {
                    var topA = Vector256.LoadUnsafe(ref xr, (nuint)(r0 + 2 * ow));
                    var topB = Vector256.LoadUnsafe(ref xr, (nuint)(r0 + 2 * ow + 8));
                    var botA = Vector256.LoadUnsafe(ref xr, (nuint)(r1 + 2 * ow));
                    var botB = Vector256.LoadUnsafe(ref xr, (nuint)(r1 + 2 * ow + 8));
                    var first = Vector256.Create(inBase + r0 + 2 * ow) + left8;
                    var m = Avx.Shuffle(topA, topB, 0b10_00_10_00);
                    var arg = first;
                    var v = Avx.Shuffle(topA, topB, 0b11_01_11_01);
                    var gt = Vector256.GreaterThan(v, m);
                    m = Vector256.ConditionalSelect(gt, v, m);
                    if (winners) arg = Vector256.ConditionalSelect(gt.AsInt32(), first + Vector256.Create(1), arg);
                    v = Avx.Shuffle(botA, botB, 0b10_00_10_00);
                    gt = Vector256.GreaterThan(v, m);
                    m = Vector256.ConditionalSelect(gt, v, m);
                    if (winners) arg = Vector256.ConditionalSelect(gt.AsInt32(), first + Vector256.Create(width), arg);
                    v = Avx.Shuffle(botA, botB, 0b11_01_11_01);
                    gt = Vector256.GreaterThan(v, m);
                    m = Vector256.ConditionalSelect(gt, v, m);
                    Avx2.Permute4x64(m.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref yr, (nuint)(o + ow));
                    if (!winners) continue;
                    arg = Vector256.ConditionalSelect(gt.AsInt32(), first + Vector256.Create(width + 1), arg);
                    Avx2.Permute4x64(arg.AsDouble(), 0b11_01_10_00).AsInt32().StoreUnsafe(ref ar, (nuint)(o + ow));
                }
            if (Sse.IsSupported)
                for (; ow + 4 <= outW; ow += 4)
                {
                    var topA = Vector128.LoadUnsafe(ref xr, (nuint)(r0 + 2 * ow));
                    var topB = Vector128.LoadUnsafe(ref xr, (nuint)(r0 + 2 * ow + 4));
                    var botA = Vector128.LoadUnsafe(ref xr, (nuint)(r1 + 2 * ow));
                    var botB = Vector128.LoadUnsafe(ref xr, (nuint)(r1 + 2 * ow + 4));
                    var first = Vector128.Create(inBase + r0 + 2 * ow) + left4;
                    var m = Sse.Shuffle(topA, topB, 0b10_00_10_00);
                    var arg = first;
                    var v = Sse.Shuffle(topA, topB, 0b11_01_11_01);
                    var gt = Vector128.GreaterThan(v, m);
                    m = Vector128.ConditionalSelect(gt, v, m);
                    if (winners) arg = Vector128.ConditionalSelect(gt.AsInt32(), first + Vector128.Create(1), arg);
                    v = Sse.Shuffle(botA, botB, 0b10_00_10_00);
                    gt = Vector128.GreaterThan(v, m);
                    m = Vector128.ConditionalSelect(gt, v, m);
                    if (winners) arg = Vector128.ConditionalSelect(gt.AsInt32(), first + Vector128.Create(width), arg);
                    v = Sse.Shuffle(botA, botB, 0b11_01_11_01);
                    gt = Vector128.GreaterThan(v, m);
                    m = Vector128.ConditionalSelect(gt, v, m);
                    m.StoreUnsafe(ref yr, (nuint)(o + ow));
                    if (!winners) continue;
                    arg = Vector128.ConditionalSelect(gt.AsInt32(), first + Vector128.Create(width + 1), arg);
                    arg.StoreUnsafe(ref ar, (nuint)(o + ow));
                }
            for (; ow < outW; ow++)
            {
                int a = r0 + 2 * ow, best = a;
                float m = x[a];
                if (x[a + 1] > m) { m = x[a + 1]; best = a + 1; }
                int b = r1 + 2 * ow;
                if (x[b] > m) { m = x[b]; best = b; }
                if (x[b + 1] > m) { m = x[b + 1]; best = b + 1; }
                y[o + ow] = m;
                if (winners) argOut[o + ow] = inBase + best;
            }
        }
    }

    /// <summary>dx[argmax] += dy for each output; zero elsewhere.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("MaxPool2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        EnsureWinners();
        var gradInput = ConvBuffers.View(ref _gradInputData, ref _gradInput, _batch, InputShape);
        ConvParallel.For(_batch * _g.Channels, _g.InPlane, (this, gradOutput, gradInput), static (s, start, end) =>
        {
            var self = s.Item1;
            var gx = s.gradInput.Span;
            var gy = s.gradOutput.Span;
            int inPlane = self._g.InPlane, outPlane = self._g.OutPlane;
            gx.Slice(start * inPlane, (end - start) * inPlane).Clear();
            for (int yi = start * outPlane; yi < end * outPlane; yi++) gx[self._argMax[yi]] += gy[yi];
        });
        return gradInput;
    }

    /// <summary>
    /// <see cref="BackwardRectified"/>'s dL/dx for sample <paramref name="n"/> alone, written into
    /// <paramref name="dx"/> (channels · H · W floats) and returned: zero, then each of the sample's pooled
    /// gradients, where its pooled output is positive, added at its window's winner, in output order;
    /// the same bits. For a layer before that consumes dL/dx sample by sample, so that the batch's is
    /// never written out. Call <see cref="EnsureWinners"/> first; then any threads may call this at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Span<float> RectifiedSample(Tensor gradOutput, int n, Span<float> dx)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("MaxPool2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        int outputs = _g.Channels * _g.OutPlane, inputs = _g.Channels * _g.InPlane;
        if ((uint)n >= (uint)_batch || dx.Length < inputs)
            throw new ArgumentException($"MaxPool2D.RectifiedSample: sample {n} of {_batch}, into {dx.Length} floats for {inputs}.");
        if (t_masked is null || t_masked.Length < outputs) t_masked = new float[outputs];
        var masked = t_masked.AsSpan(0, outputs);
        Vectorized.Transform(new ReLU.Gradient(), _output.Span.Slice(n * outputs, outputs), gradOutput.Span.Slice(n * outputs, outputs), masked);
        dx = dx[..inputs];
        dx.Clear();
        var argMax = _argMax.AsSpan(n * outputs, outputs);
        int inBase = n * inputs;
        for (int k = 0; k < outputs; k++) dx[argMax[k] - inBase] += masked[k];
        return dx;
    }

    [ThreadStatic] private static float[]? t_masked;

    /// <summary>
    /// dL/dx of a ReLU before this layer, from this layer's dL/dy: dx[i] = Σ dy over the outputs whose
    /// window's winner is i, where the ReLU's input x[i] &gt; 0, else 0. The bits of the ReLU's Backward
    /// after this layer's (the mask of a sum is the sum of the masks, added in the same order), in one
    /// pass, without writing this layer's gradient. This layer's input is the ReLU's output, so the
    /// winner's x[i] &gt; 0 exactly when the pooled output y = relu(x[i]) &gt; 0: the mask is taken from
    /// y, vectorised, and the scatter has no branch. Sample by sample (<see cref="RectifiedSample"/>).
    /// </summary>
    internal void BackwardRectified(Tensor gradOutput, Tensor gradInput)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("MaxPool2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        if (gradInput.Length != _batch * _g.Channels * _g.InPlane)
            throw new ShapeMismatchException("MaxPool2D.BackwardRectified: gradInput", gradInput.ShapeString, BatchShapeString(InputShape));
        EnsureWinners();
        int inputs = _g.Channels * _g.InPlane;
        ConvParallel.For(_batch, inputs, (this, gradOutput, gradInput, inputs), static (s, start, end) =>
        {
            for (int n = start; n < end; n++) s.Item1.RectifiedSample(s.gradOutput, n, s.gradInput.Span.Slice(n * s.inputs, s.inputs));
        });
    }
}
