using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>max_i |x[i]|, the infinity norm; 0 for an empty span, NaN if any element is NaN.</summary>
    public static float MaxAbs(ReadOnlySpan<float> x)
    {
        return MathF.Max(Vectorized.Reduce<AbsOperator, MaxAggregator>(default, x), 0f);
    }

    /// <summary>The specification of <see cref="MaxAbs"/>: the scalar loop.</summary>
    internal static float MaxAbsScalar(ReadOnlySpan<float> x) => MathF.Max(ScalarLoop.Reduce<AbsOperator, MaxAggregator>(default, x), 0f);

    private readonly struct AbsOperator : IUnaryOperator
    {
        public float Invoke(float x) => MathF.Abs(x);
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Abs(x);
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Abs(x);
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Abs(x);
    }
}
