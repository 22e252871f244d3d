using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>max_i |x[i]|, the infinity norm; 0 for an empty span, NaN if any element is NaN.</summary>
    public static float MaxAbs(ReadOnlySpan<float> x)
    {
        float m = Vectorized.Reduce<AbsOperator, MaxAggregator>(default, x, out int done);
        return MathF.Max(MathF.Max(m, 0f), MaxAbsScalar(x[done..]));
    }

    /// <summary>The specification of <see cref="MaxAbs"/>, and the remainder of its vector path.</summary>
    internal static float MaxAbsScalar(ReadOnlySpan<float> x)
    {
        float m = 0;
        for (int i = 0; i < x.Length; i++) m = MathF.Max(m, MathF.Abs(x[i]));
        return m;
    }

    private readonly struct AbsOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Abs(x);
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Abs(x);
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Abs(x);
    }
}
