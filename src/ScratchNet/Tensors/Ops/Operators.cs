using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

// An element-wise operation, in the style of System.Numerics.Tensors: one struct per operation
// with one Invoke per vector width and a scalar Invoke. The scalar Invoke is the specification:
// the drivers (Vectorized) run the vector forms over whole vectors and finish the remainder with
// it, and ScalarLoop runs it alone on every element, so the tests can hold each vector form to it.
// Operators are structs so that each generic driver is compiled once per operation and Invoke
// inlines; a struct may carry settings (a scale factor, clip bounds, an optimizer's step
// constants) in readonly fields.

/// <summary>d = f(x), lane by lane.</summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    Vector512<float> Invoke(Vector512<float> x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector128<float> Invoke(Vector128<float> x);
}

/// <summary>d = f(x, y), lane by lane.</summary>
internal interface IBinaryOperator
{
    float Invoke(float x, float y);
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);
}

/// <summary>d = f(x, y, z), lane by lane.</summary>
internal interface ITernaryOperator
{
    float Invoke(float x, float y, float z);
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z);
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z);
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z);
}

/// <summary>
/// (a, b) ← f(a, b, x), lane by lane: two spans updated in place from a third (a parameter θ and
/// one optimizer state, from the gradient).
/// </summary>
internal interface IUpdate2Operator
{
    void Invoke(ref float a, ref float b, float x);
    void Invoke(ref Vector512<float> a, ref Vector512<float> b, Vector512<float> x);
    void Invoke(ref Vector256<float> a, ref Vector256<float> b, Vector256<float> x);
    void Invoke(ref Vector128<float> a, ref Vector128<float> b, Vector128<float> x);
}

/// <summary>
/// (a, b, c) ← f(a, b, c, x), lane by lane: three spans updated in place from a fourth (θ and two
/// optimizer states, from the gradient).
/// </summary>
internal interface IUpdate3Operator
{
    void Invoke(ref float a, ref float b, ref float c, float x);
    void Invoke(ref Vector512<float> a, ref Vector512<float> b, ref Vector512<float> c, Vector512<float> x);
    void Invoke(ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c, Vector256<float> x);
    void Invoke(ref Vector128<float> a, ref Vector128<float> b, ref Vector128<float> c, Vector128<float> x);
}

/// <summary>
/// An associative combination used by reductions (sum, max): an identity, a lane-wise combine, and
/// the fold of one vector's lanes into a scalar.
/// </summary>
internal interface IAggregator
{
    static abstract float Identity { get; }
    static abstract float Combine(float a, float b);
    static abstract Vector512<float> Combine(Vector512<float> a, Vector512<float> b);
    static abstract Vector256<float> Combine(Vector256<float> a, Vector256<float> b);
    static abstract Vector128<float> Combine(Vector128<float> a, Vector128<float> b);
    static abstract float Fold(Vector512<float> v);
    static abstract float Fold(Vector256<float> v);
    static abstract float Fold(Vector128<float> v);
}

/// <summary>a + b; folds lanes with a fixed pairing, so a sum depends only on the data and the vector width.</summary>
internal readonly struct SumAggregator : IAggregator
{
    public static float Identity => 0f;
    public static float Combine(float a, float b) => a + b;
    public static Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => a + b;
    public static Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => a + b;
    public static float Fold(Vector512<float> v) => Fold(v.GetLower() + v.GetUpper());
    public static float Fold(Vector256<float> v) => Fold(v.GetLower() + v.GetUpper());
    public static float Fold(Vector128<float> v) => (v.GetElement(0) + v.GetElement(2)) + (v.GetElement(1) + v.GetElement(3));
}

/// <summary>max(a, b) as MathF.Max: NaN wins, so a NaN anywhere makes the result NaN.</summary>
internal readonly struct MaxAggregator : IAggregator
{
    public static float Identity => float.NegativeInfinity;
    public static float Combine(float a, float b) => MathF.Max(a, b);
    public static Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    public static Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    public static Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    public static float Fold(Vector512<float> v) => Fold(Vector256.Max(v.GetLower(), v.GetUpper()));
    public static float Fold(Vector256<float> v) => Fold(Vector128.Max(v.GetLower(), v.GetUpper()));
    public static float Fold(Vector128<float> v) => MathF.Max(MathF.Max(v.GetElement(0), v.GetElement(2)), MathF.Max(v.GetElement(1), v.GetElement(3)));
}

/// <summary>x, unchanged (the map of a plain sum or max).</summary>
internal readonly struct IdentityOperator : IUnaryOperator
{
    public float Invoke(float x) => x;
    public Vector512<float> Invoke(Vector512<float> x) => x;
    public Vector256<float> Invoke(Vector256<float> x) => x;
    public Vector128<float> Invoke(Vector128<float> x) => x;
}

/// <summary>x + c for a fixed c.</summary>
internal readonly struct AddConstantOperator(float c) : IUnaryOperator
{
    private readonly float _c = c;
    public float Invoke(float x) => x + _c;
    public Vector512<float> Invoke(Vector512<float> x) => x + Vector512.Create(_c);
    public Vector256<float> Invoke(Vector256<float> x) => x + Vector256.Create(_c);
    public Vector128<float> Invoke(Vector128<float> x) => x + Vector128.Create(_c);
}

/// <summary>c * x for a fixed c.</summary>
internal readonly struct ScaleOperator(float c) : IUnaryOperator
{
    private readonly float _c = c;
    public float Invoke(float x) => _c * x;
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(_c) * x;
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(_c) * x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Create(_c) * x;
}
