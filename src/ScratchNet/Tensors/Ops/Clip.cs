using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// destination[i] = min(max(x[i], min), max): x clamped to [min, max] (gradient clipping by
    /// value). A NaN stays NaN, so a diverging run is not hidden.
    /// </summary>
    public static void Clip(ReadOnlySpan<float> x, float min, float max, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Clip), "destination");
        if (!(min <= max))
            throw new ArgumentException($"Clip: the lower bound {min} must not exceed the upper bound {max}.");
        Vectorized.Transform(new ClipOperator(min, max), x, destination);
    }

    /// <summary>The specification of <see cref="Clip"/>: the scalar loop.</summary>
    internal static void ClipScalar(ReadOnlySpan<float> x, float min, float max, Span<float> destination) =>
        ScalarLoop.Transform(new ClipOperator(min, max), x, destination);

    private readonly struct ClipOperator(float min, float max) : IUnaryOperator
    {
        private readonly float _min = min, _max = max;
        public float Invoke(float x) => MathF.Min(MathF.Max(x, _min), _max);
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(_min)), Vector512.Create(_max));
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(_min)), Vector256.Create(_max));
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Min(Vector128.Max(x, Vector128.Create(_min)), Vector128.Create(_max));
    }
}
