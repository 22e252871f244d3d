using ScratchNet.Tensors;
using ScratchNet.Threading;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// A parameter-free layer y = f(x) of the same shape as x. Element-wise activations implement
/// <see cref="Apply"/> and <see cref="ApplyGradient"/>; the base class keeps the input, the output
/// and the gradient buffer, and checks shapes.
/// </summary>
public abstract class Activation : Layer
{
    /// <summary>From this many elements (a convolution's output) an element-wise pass is split over threads.</summary>
    private const int ParallelMinimum = 1 << 17;

    private Tensor? _input, _output;
    private IDeferredOutput? _outputWriter; // a fused run that has not written _output yet (see PrepareForward)
    private readonly GrowingBuffer _outputBuffer = new(), _gradInputBuffer = new();
    private SplitWork? _split;
    private BiasSplitWork? _biasSplit;

    /// <summary>
    /// Whether each output element depends only on the input element at the same index (true for
    /// all but Softmax): such a pass may be cut into ranges and run on several threads, with the same bits.
    /// </summary>
    protected virtual bool IsElementWise => true;

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <summary>The input of the last <see cref="Forward"/> (owned by the layer before), or null.</summary>
    protected Tensor? LastInput => _input;

    /// <summary>The output of the last <see cref="Forward"/>, or null.</summary>
    protected Tensor? LastOutput => WrittenOutput();

    /// <summary>The last output, first written by the fused run that deferred it, if one did.</summary>
    private Tensor? WrittenOutput()
    {
        IDeferredOutput.Settle(ref _outputWriter, this);
        return _output;
    }

    /// <inheritdoc/>
    public override LayerSpec Spec => new(TypeName);

    /// <summary>y = f(x).</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        var y = _output = _outputBuffer.For(input.Shape);
        _input = input;
        _outputWriter = null;
        if (input.Length > 0) Run(forward: true, input, y, null, null); // some span kernels refuse empty spans
        return y;
    }

    /// <summary>dL/dx from dL/dy: f'(x) ⊙ dL/dy for element-wise activations.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var dx = _gradInputBuffer.For(gradOutput.Shape);
        if (dx.Length > 0) Run(forward: false, _input!, WrittenOutput()!, gradOutput, dx);
        return dx;
    }

    /// <summary>
    /// Whether this activation can take the bias of the layer before into its own pass
    /// (<see cref="ForwardAddingBias"/>, <see cref="BackwardSummingRows"/>): true for those that
    /// implement <see cref="ApplyAddingBias"/> and <see cref="ApplyGradientSummingRows"/>.
    /// </summary>
    internal virtual bool TakesBias => false;

    /// <summary>
    /// y = f(z + b), for z the layer before's output without its bias b (one value per column, added to
    /// every row): z ← z + b in place, so z becomes that layer's biased output and this layer's input,
    /// as if the layer before had added b and this layer's <see cref="Forward"/> had run, with the same
    /// bits, in one pass over z instead of two. Only when <see cref="TakesBias"/>.
    /// </summary>
    internal Tensor ForwardAddingBias(Tensor z, Tensor bias)
    {
        var y = PrepareForward(z);
        RunAcrossColumns(forward: true, z, bias, y, null, null);
        return y;
    }

    /// <summary>
    /// dL/dx = f'(x) ⊙ dL/dy as <see cref="Backward"/>, and into <paramref name="columnSums"/> its sum
    /// over the rows, Σ_rows dL/dx (the layer before's bias gradient), in one pass: the bits of
    /// <see cref="Backward"/> then <see cref="TensorMath.SumOverRows(ReadOnlySpan{float}, Span{float})"/>.
    /// Only after <see cref="ForwardAddingBias"/>.
    /// </summary>
    internal Tensor BackwardSummingRows(Tensor gradOutput, Tensor columnSums)
    {
        RequireGradOutput(gradOutput, _output);
        var dx = _gradInputBuffer.For(gradOutput.Shape);
        RunAcrossColumns(forward: false, _input!, columnSums, WrittenOutput()!, gradOutput, dx);
        return dx;
    }

    /// <summary>
    /// Makes <paramref name="z"/> this layer's input and returns its output buffer y, for a fused run
    /// that then fills y plane by plane (<see cref="ApplyAddingConstant"/>) while the layer before
    /// writes z: the state <see cref="Forward"/> on z would leave, once every plane is done. A run that
    /// leaves y unwritten names itself as <paramref name="writtenLaterBy"/>: this layer asks it to write
    /// y when it first reads y (its Backward, its region fingerprint).
    /// </summary>
    internal Tensor PrepareForward(Tensor z, IDeferredOutput? writtenLaterBy = null)
    {
        RequireInput(z);
        var y = _output = _outputBuffer.For(z.Shape);
        _input = z;
        _outputWriter = writtenLaterBy;
        return y;
    }

    /// <summary>The buffer <see cref="Backward"/> writes dL/dx into, of the shape of the last output (for a fused run that writes it itself).</summary>
    internal Tensor PrepareBackward()
    {
        if (_output is null) throw new InvalidOperationException($"{this}: Backward called before Forward.");
        return _gradInputBuffer.For(_output.Shape);
    }

    /// <summary>z[i] = x[i] + b; y[i] = f(z[i]): one plane whose bias is one value (a convolution's output channel). Only when <see cref="TakesBias"/>.</summary>
    internal virtual void ApplyAddingConstant(ReadOnlySpan<float> x, float bias, Span<float> z, Span<float> y) =>
        throw new NotSupportedException($"{TypeName} does not take the bias of the layer before.");

    /// <summary>z[i, j] ← z[i, j] + b[j]; y[i, j] = f(z[i, j]) for the columns [start, end) of every row.</summary>
    internal virtual void ApplyAddingBias(Span<float> z, ReadOnlySpan<float> bias, Span<float> y, int start, int end) =>
        throw new NotSupportedException($"{TypeName} does not take the bias of the layer before.");

    /// <summary>dx[i, j] = f'(x[i, j]) dy[i, j]; sums[j] = Σ_i dx[i, j] (rows in order) for the columns [start, end).</summary>
    internal virtual void ApplyGradientSummingRows(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, Span<float> sums, int start, int end) =>
        throw new NotSupportedException($"{TypeName} does not take the bias of the layer before.");

    private void RunAcrossColumns(bool forward, Tensor x, Tensor bias, Tensor y, Tensor? dy, Tensor? dx)
    {
        int columns = bias.Length;
        // Whole 16-float column blocks per part: a column's rows stay on one thread, so its sum keeps the row order.
        int blocks = (columns + 15) / 16;
        int threads = Math.Min(Math.Min(Compute.Threads, x.Length / ParallelMinimum), blocks);
        if (threads <= 1)
        {
            if (forward) ApplyAddingBias(x.Span, bias.Span, y.Span, 0, columns);
            else ApplyGradientSummingRows(x.Span, y.Span, dy!.Span, dx!.Span, bias.Span, 0, columns);
            return;
        }
        var split = _biasSplit ??= new BiasSplitWork(this);
        split.Set(forward, x, bias, y, dy, dx);
        try { WorkerPool.Run(split, Math.Min(blocks, 4 * threads), threads); }
        finally { split.Set(forward, null, null, null, null, null); } // hold no references between passes
    }

    /// <summary>A fused bias pass over one range of whole 16-column blocks per part.</summary>
    private sealed class BiasSplitWork(Activation layer) : IPartitionedWork
    {
        private bool _forward;
        private Tensor? _x, _bias, _y, _dy, _dx;

        public void Set(bool forward, Tensor? x, Tensor? bias, Tensor? y, Tensor? dy, Tensor? dx)
        {
            _forward = forward; _x = x; _bias = bias; _y = y; _dy = dy; _dx = dx;
        }

        public void RunPart(int index, int parts)
        {
            int columns = _bias!.Length, blocks = (columns + 15) / 16;
            int start = Math.Min(columns, blocks * index / parts * 16);
            int end = Math.Min(columns, blocks * (index + 1) / parts * 16);
            if (end <= start) return;
            if (_forward) layer.ApplyAddingBias(_x!.Span, _bias.Span, _y!.Span, start, end);
            else layer.ApplyGradientSummingRows(_x!.Span, _y!.Span, _dy!.Span, _dx!.Span, _bias.Span, start, end);
        }
    }

    private void Run(bool forward, Tensor x, Tensor y, Tensor? dy, Tensor? dx)
    {
        int threads = Math.Min(Compute.Threads, x.Length / ParallelMinimum);
        if (threads <= 1 || !IsElementWise)
        {
            if (forward) Apply(x, y);
            else ApplyGradient(x, y, dy!, dx!);
            return;
        }
        var split = _split ??= new SplitWork(this);
        split.Set(forward, x, y, dy, dx);
        // Four ranges per thread: a thread slowed down (a busy core) takes fewer of them.
        try { WorkerPool.Run(split, 4 * threads, threads); }
        finally { split.Set(forward, null, null, null, null); } // hold no references between passes
    }

    /// <summary>An element-wise pass over [start, end) of the flattened tensors, one range per part.</summary>
    private sealed class SplitWork(Activation layer) : IPartitionedWork
    {
        private bool _forward;
        private Tensor? _x, _y, _dy, _dx;

        public void Set(bool forward, Tensor? x, Tensor? y, Tensor? dy, Tensor? dx)
        {
            _forward = forward; _x = x; _y = y; _dy = dy; _dx = dx;
        }

        public void RunPart(int index, int parts)
        {
            // Range edges on whole 64-float blocks (cache lines, vectors) so no vector straddles two parts.
            int blocks = (_x!.Length + 63) / 64;
            int start = Math.Min(_x.Length, (int)((long)blocks * index / parts) * 64);
            int end = Math.Min(_x.Length, (int)((long)blocks * (index + 1) / parts) * 64);
            if (end <= start) return;
            if (_forward) layer.Apply(Flat(_x, start, end), Flat(_y!, start, end));
            else layer.ApplyGradient(Flat(_x, start, end), Flat(_y!, start, end), Flat(_dy!, start, end), Flat(_dx!, start, end));
        }

        private static Tensor Flat(Tensor t, int start, int end) => new(t.Data, t.Offset + start, [end - start]);
    }

    /// <summary>Writes y = f(x). <paramref name="output"/> has the shape of <paramref name="input"/>.</summary>
    protected abstract void Apply(Tensor input, Tensor output);

    /// <summary>
    /// Writes dL/dx given the forward input x, output y and dL/dy (all of one shape). Implementations
    /// may use whichever of x and y makes the derivative cheapest (σ' = y(1 - y), tanh' = 1 - y²).
    /// </summary>
    protected abstract void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput);
}
