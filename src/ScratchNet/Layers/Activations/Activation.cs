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
    private readonly GrowingBuffer _outputBuffer = new(), _gradInputBuffer = new();
    private SplitWork? _split;

    /// <summary>
    /// Whether each output element depends only on the input element at the same index (true for
    /// all but Softmax): such a pass may be cut into ranges and run on several threads, with the same bits.
    /// </summary>
    protected virtual bool IsElementWise => true;

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <summary>The input of the last <see cref="Forward"/> (owned by the layer before), or null.</summary>
    protected Tensor? LastInput => _input;

    /// <inheritdoc/>
    public override LayerSpec Spec => new(TypeName);

    /// <summary>y = f(x).</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        var y = _output = _outputBuffer.For(input.Shape);
        _input = input;
        if (input.Length > 0) Run(forward: true, input, y, null, null); // some span kernels refuse empty spans
        return y;
    }

    /// <summary>dL/dx from dL/dy: f'(x) ⊙ dL/dy for element-wise activations.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var dx = _gradInputBuffer.For(gradOutput.Shape);
        if (dx.Length > 0) Run(forward: false, _input!, _output!, gradOutput, dx);
        return dx;
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
