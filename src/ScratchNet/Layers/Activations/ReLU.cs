using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Rectified linear unit: y = max(x, 0) (NaN stays NaN, as MathF.Max); dy/dx = 1 for x &gt; 0,
/// else 0 (0 taken at x = 0, and for NaN).
/// </summary>
/// <remarks>
/// y &gt; 0 exactly where x &gt; 0 (max(−0, 0) and max(NaN, 0) are not positive either), so the
/// gradient's mask and the region are read from the output: a fused convolution before it
/// (<see cref="Conv2D"/>) need not keep x.
/// </remarks>
public sealed class ReLU : Activation, IPiecewiseLayer
{
    /// <summary>Which inputs of the last forward pass were positive (the kink is at 0): the outputs' pattern, the same.</summary>
    public ulong RegionFingerprint() => RegionHash.PositivePattern(LastOutput);

    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), output.Span, gradOutput.Span, gradInput.Span);

    /// <inheritdoc/>
    internal override bool TakesBias => true;

    /// <inheritdoc/>
    internal override void ApplyAddingBias(Span<float> z, ReadOnlySpan<float> bias, Span<float> y, int start, int end) =>
        TensorMath.AddRowVectorThenApply(new Function(), z, bias, y, start, end);

    /// <inheritdoc/>
    internal override void ApplyGradientSummingRows(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, Span<float> sums, int start, int end) =>
        TensorMath.TransformSumOverRows(new Gradient(), y, dy, dx, sums, start, end);

    /// <inheritdoc/>
    internal override void ApplyAddingConstant(ReadOnlySpan<float> x, float bias, Span<float> z, Span<float> y) =>
        TensorMath.AddConstantThenApply(new Function(), x, bias, z, y);

    /// <summary>
    /// dL/dx of this layer from dL/dy of <paramref name="pool"/>, the max pooling after it, without
    /// the pool's own gradient: each pooled gradient goes to its window's winner i, kept where
    /// x[i] &gt; 0. The bits of <c>Backward(pool.Backward(dy))</c> (see <see cref="MaxPool2D.BackwardRectified"/>);
    /// only when the pool's input is this layer's output.
    /// </summary>
    internal Tensor BackwardThroughPool(MaxPool2D pool, Tensor gradOutput)
    {
        var dx = PrepareBackward();
        pool.BackwardRectified(gradOutput, dx);
        return dx;
    }

    /// <summary>y = max(x, 0).</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => MathF.Max(x, 0f);
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
    }

    /// <summary>dL/dx = dL/dy where x &gt; 0, else 0.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float x, float dy) => x > 0f ? dy : 0f;
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512<float>.Zero);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256<float>.Zero);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), dy, Vector128<float>.Zero);
    }
}
