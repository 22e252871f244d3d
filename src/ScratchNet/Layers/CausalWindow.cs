using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Each position's view of the last K positions, concatenated: an input of shape (batch, T, C) gives
/// y of shape (batch, T, K·C) with y[b, t, k·C + c] = x[b, t − k, c] for k = 0 … K−1 (k = 0 is the
/// position itself), and 0 where t − k &lt; 0, before the start of the sequence.
/// </summary>
/// <remarks>
/// <para>
/// This is makemore's MLP context (Bengio et al. 2003): after an <see cref="Embedding"/>, position t
/// sees the embeddings of its K latest tokens side by side, so a <see cref="Dense"/> over the rows mixes
/// them, and nothing after t reaches it. makemore fills the places before the start with a learned
/// &lt;BLANK&gt; token; here they hold zeros (a blank whose embedding is fixed at 0), which still tells
/// the following layer how far the position is from the start.
/// </para>
/// <para>
/// Backward: dL/dx[b, s, c] = Σ_{k &lt; K, s + k &lt; T} dL/dy[b, s + k, k·C + c], added in order of
/// k (the bits do not depend on threads). No parameters.
/// </para>
/// </remarks>
public sealed class CausalWindow : Layer
{
    private Tensor? _output;
    // Both grow to the largest batch and give views to smaller ones: evaluation batches do not reallocate them.
    private readonly GrowingBuffer _outputStore = new(), _gradInputStore = new();

    /// <summary>A window over the <paramref name="size"/> latest positions (the current one included).</summary>
    public CausalWindow(int size)
    {
        if (size < 1 || size > Limits.MaxLayerWidth)
            throw new ArgumentOutOfRangeException(nameof(size), $"CausalWindow: the size must be in [1, {Limits.MaxLayerWidth}] (got {size}).");
        Size = size;
    }

    /// <summary>K, the positions each output row holds.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new("CausalWindow", new Dictionary<string, string> { ["size"] = SpecText.Int(Size) });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        RequireSequence(inputShape);
        long width = (long)Size * inputShape[1];
        if (width > Limits.MaxLayerWidth)
            throw new ArgumentException($"{this}: {Size} positions of {inputShape[1]} values make rows of {width}, more than {Limits.MaxLayerWidth}.");
        return [inputShape[0], (int)width];
    }

    private void RequireSequence(int[] inputShape)
    {
        if (inputShape.Length != 2 || inputShape[0] < 1 || inputShape[1] < 1)
            throw new ArgumentException($"{this}: needs a sequence of vectors per sample, shape (T, C), got {Tensor.FormatShape(inputShape)}.");
    }

    /// <summary>y[b, t, k·C : (k+1)·C] = x[b, t − k, :], or 0 before the start.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int batch = input.Dim(0), steps = InputShape[0], c = InputShape[1], k = Size;
        var y = _output = _outputStore.For([batch, steps, k * c]);
        ReadOnlySpan<float> x = input.Span;
        var ys = y.Span;
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                var row = ys.Slice((b * steps + t) * k * c, k * c);
                for (int j = 0; j < k; j++)
                {
                    var place = row.Slice(j * c, c);
                    if (t - j >= 0) x.Slice((b * steps + t - j) * c, c).CopyTo(place);
                    else place.Clear();
                }
            }
        return y;
    }

    /// <summary>dx[b, s, :] = Σ_k dy[b, s + k, k·C : (k+1)·C] over s + k &lt; T, in order of k.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        int batch = gradOutput.Dim(0), steps = InputShape[0], c = InputShape[1], k = Size;
        var dx = _gradInputStore.For([batch, steps, c]);
        ReadOnlySpan<float> dy = gradOutput.Span;
        var dxs = dx.Span;
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < steps; s++)
            {
                var sum = dxs.Slice((b * steps + s) * c, c);
                dy.Slice((b * steps + s) * k * c, c).CopyTo(sum);
                for (int j = 1; j < k && s + j < steps; j++)
                    TensorMath.Add(sum, dy.Slice((b * steps + s + j) * k * c + j * c, c), sum);
            }
        return dx;
    }
}
