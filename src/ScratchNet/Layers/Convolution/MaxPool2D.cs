using System.Globalization;
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

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        var output = PrepareForward(_g.BatchOf(input, "MaxPool2D"));
        ConvParallel.For(_batch * _g.Channels, _g.InPlane, (this, input), static (s, start, end) =>
        {
            for (int plane = start; plane < end; plane++) s.Item1.ForwardPlane(s.input, plane);
        });
        return output;
    }

    /// <summary>
    /// The output buffer (and the winners' indices) for a batch of <paramref name="batch"/> samples, for
    /// a fused run that then pools plane by plane (<see cref="ForwardPlane"/>) as the layer before
    /// fills its planes: the state <see cref="Forward"/> would leave, once every plane is done.
    /// </summary>
    internal Tensor PrepareForward(int batch)
    {
        var output = ConvBuffers.View(ref _outputData, ref _output, batch, [_g.Channels, _g.OutHeight, _g.OutWidth]);
        ConvBuffers.Grow(ref _argMax, output.Length);
        _batch = batch;
        return output;
    }

    /// <summary>
    /// Max pooling is smooth only while every window keeps its winner: the fingerprint is a hash of
    /// the winners' positions in the last forward pass (see <see cref="IPiecewiseLayer"/>).
    /// </summary>
    public ulong RegionFingerprint()
    {
        if (_batch < 0) return 0;
        ulong h = 14695981039346656037UL;
        int n = _batch * _g.Channels * _g.OutHeight * _g.OutWidth;
        for (int i = 0; i < n; i++) h = (h ^ (uint)_argMax[i]) * 1099511628211UL;
        return h;
    }

    /// <summary>Pools plane <paramref name="plane"/> (sample · channels + channel) of <paramref name="input"/> into the output and the winners' indices.</summary>
    internal void ForwardPlane(Tensor input, int plane)
    {
        int outH = _g.OutHeight, outW = _g.OutWidth, width = _g.Width, s = Stride, size = Size;
        int inBase = plane * _g.InPlane, outBase = plane * _g.OutPlane;
        ReadOnlySpan<float> x = input.Span.Slice(inBase, _g.InPlane);
        Span<float> y = _output!.Span.Slice(outBase, _g.OutPlane);
        Span<int> argOut = _argMax.AsSpan(outBase, _g.OutPlane);
        if (size == 2 && s == 2)
        {
            for (int oh = 0; oh < outH; oh++)
            {
                int r0 = 2 * oh * width, r1 = r0 + width, ow = 0;
                if (Avx2.IsSupported) ow = Pool2x2By8(x, r0, r1, inBase, outW, y.Slice(oh * outW), argOut.Slice(oh * outW));
                if (Sse.IsSupported)
                {
                    // Four windows at a time, without branches (on random data the comparisons of a
                    // scalar loop mispredict about half the time).
                    for (; ow + 4 <= outW; ow += 4)
                    {
                        var topA = Vector128.Create(x.Slice(r0 + 2 * ow, 4));
                        var topB = Vector128.Create(x.Slice(r0 + 2 * ow + 4, 4));
                        var botA = Vector128.Create(x.Slice(r1 + 2 * ow, 4));
                        var botB = Vector128.Create(x.Slice(r1 + 2 * ow + 4, 4));
                        // Even lanes are each window's left column, odd lanes its right column.
                        var tl = Sse.Shuffle(topA, topB, 0b10_00_10_00);
                        var tr = Sse.Shuffle(topA, topB, 0b11_01_11_01);
                        var bl = Sse.Shuffle(botA, botB, 0b10_00_10_00);
                        var br = Sse.Shuffle(botA, botB, 0b11_01_11_01);
                        var first = Vector128.Create(inBase + r0 + 2 * ow) + Vector128.Create(0, 2, 4, 6);
                        // Row-major window order with a strict >, so the first maximum wins ties.
                        var m = tl;
                        var arg = first;
                        var gt = Vector128.GreaterThan(tr, m);
                        m = Vector128.ConditionalSelect(gt, tr, m);
                        arg = Vector128.ConditionalSelect(gt.AsInt32(), first + Vector128.Create(1), arg);
                        gt = Vector128.GreaterThan(bl, m);
                        m = Vector128.ConditionalSelect(gt, bl, m);
                        arg = Vector128.ConditionalSelect(gt.AsInt32(), first + Vector128.Create(width), arg);
                        gt = Vector128.GreaterThan(br, m);
                        m = Vector128.ConditionalSelect(gt, br, m);
                        arg = Vector128.ConditionalSelect(gt.AsInt32(), first + Vector128.Create(width + 1), arg);
                        m.CopyTo(y.Slice(oh * outW + ow, 4));
                        arg.CopyTo(argOut.Slice(oh * outW + ow, 4));
                    }
                }
                for (; ow < outW; ow++)
                {
                    int a = r0 + 2 * ow, best = a;
                    float m = x[a];
                    if (x[a + 1] > m) { m = x[a + 1]; best = a + 1; }
                    int b = r1 + 2 * ow;
                    if (x[b] > m) { m = x[b]; best = b; }
                    if (x[b + 1] > m) { m = x[b + 1]; best = b + 1; }
                    y[oh * outW + ow] = m;
                    argOut[oh * outW + ow] = inBase + best;
                }
            }
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

    /// <summary>
    /// The 2 x 2, stride 2 windows of one output row eight at a time, as the four-at-a-time loop pools
    /// them (the same comparisons in the same order); returns how many windows it did. The in-lane
    /// shuffles leave the windows in the order 0 1 4 5 2 3 6 7, which one permute of 64-bit pairs of
    /// the results puts right.
    /// </summary>
    private static int Pool2x2By8(ReadOnlySpan<float> x, int r0, int r1, int inBase, int outW, Span<float> y, Span<int> argOut)
    {
        int ow = 0;
        if (outW < 8 || r1 + 2 * outW > x.Length || y.Length < outW || argOut.Length < outW) return 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        var left = Vector256.Create(0, 2, 8, 10, 4, 6, 12, 14);
        for (; ow + 8 <= outW; ow += 8)
        {
            var topA = Vector256.LoadUnsafe(ref xr, (nuint)(r0 + 2 * ow));
            var topB = Vector256.LoadUnsafe(ref xr, (nuint)(r0 + 2 * ow + 8));
            var botA = Vector256.LoadUnsafe(ref xr, (nuint)(r1 + 2 * ow));
            var botB = Vector256.LoadUnsafe(ref xr, (nuint)(r1 + 2 * ow + 8));
            var tl = Avx.Shuffle(topA, topB, 0b10_00_10_00);
            var tr = Avx.Shuffle(topA, topB, 0b11_01_11_01);
            var bl = Avx.Shuffle(botA, botB, 0b10_00_10_00);
            var br = Avx.Shuffle(botA, botB, 0b11_01_11_01);
            var first = Vector256.Create(inBase + r0 + 2 * ow) + left;
            var m = tl;
            var arg = first;
            var gt = Vector256.GreaterThan(tr, m);
            m = Vector256.ConditionalSelect(gt, tr, m);
            arg = Vector256.ConditionalSelect(gt.AsInt32(), first + Vector256.Create(1), arg);
            gt = Vector256.GreaterThan(bl, m);
            m = Vector256.ConditionalSelect(gt, bl, m);
            arg = Vector256.ConditionalSelect(gt.AsInt32(), first + Vector256.Create(r1 - r0), arg);
            gt = Vector256.GreaterThan(br, m);
            m = Vector256.ConditionalSelect(gt, br, m);
            arg = Vector256.ConditionalSelect(gt.AsInt32(), first + Vector256.Create(r1 - r0 + 1), arg);
            Avx2.Permute4x64(m.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)ow);
            Avx2.Permute4x64(arg.AsDouble(), 0b11_01_10_00).AsInt32().StoreUnsafe(ref MemoryMarshal.GetReference(argOut), (nuint)ow);
        }
        return ow;
    }

    /// <summary>dx[argmax] += dy for each output; zero elsewhere.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("MaxPool2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
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

    private float[] _rectifiedGradient = [];

    /// <summary>
    /// dL/dx of a ReLU before this layer, from this layer's dL/dy: dx[i] = Σ dy over the outputs whose
    /// window's winner is i, where the ReLU's input x[i] &gt; 0, else 0. The bits of the ReLU's Backward
    /// after this layer's (the mask of a sum is the sum of the masks, added in the same order), in one
    /// pass, without writing this layer's gradient. This layer's input is the ReLU's output, so the
    /// winner's x[i] &gt; 0 exactly when the pooled output y = relu(x[i]) &gt; 0: the mask is taken from
    /// y, vectorised, and the scatter has no branch.
    /// </summary>
    internal void BackwardRectified(Tensor gradOutput, Tensor gradInput)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("MaxPool2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        if (gradInput.Length != _batch * _g.Channels * _g.InPlane)
            throw new ShapeMismatchException("MaxPool2D.BackwardRectified: gradInput", gradInput.ShapeString, BatchShapeString(InputShape));
        ConvBuffers.Grow(ref _rectifiedGradient, gradOutput.Length);
        ConvParallel.For(_batch * _g.Channels, _g.InPlane, (this, gradOutput, gradInput), static (s, start, end) =>
        {
            var self = s.Item1;
            var gx = s.gradInput.Span;
            int inPlane = self._g.InPlane, outPlane = self._g.OutPlane;
            int from = start * outPlane, count = (end - start) * outPlane;
            var masked = self._rectifiedGradient.AsSpan(from, count);
            Vectorized.Transform(new ReLU.Gradient(), self._output!.Span.Slice(from, count), s.gradOutput.Span.Slice(from, count), masked);
            gx.Slice(start * inPlane, (end - start) * inPlane).Clear();
            var argMax = self._argMax.AsSpan(from, count);
            for (int k = 0; k < count; k++) gx[argMax[k]] += masked[k];
        });
    }
}
