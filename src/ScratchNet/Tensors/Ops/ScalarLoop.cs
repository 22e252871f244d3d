namespace ScratchNet.Tensors;

/// <summary>
/// The specification of every element-wise kernel: the operator's scalar Invoke on each element in
/// turn. <see cref="Vectorized"/> finishes its remainder with these loops, and the tests run them
/// alone to hold every vector form to them. Same argument rules as <see cref="Vectorized"/>.
/// </summary>
internal static class ScalarLoop
{
    /// <summary>destination[i] = op(x[i]).</summary>
    public static void Transform<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < x.Length; i++) destination[i] = op.Invoke(x[i]);
    }

    /// <summary>destination[i] = op(x[i], y[i]).</summary>
    public static void Transform<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        for (int i = 0; i < x.Length; i++) destination[i] = op.Invoke(x[i], y[i]);
    }

    /// <summary>destination[i] = op(x[i], y[i], z[i]).</summary>
    public static void Transform<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        for (int i = 0; i < x.Length; i++) destination[i] = op.Invoke(x[i], y[i], z[i]);
    }

    /// <summary>(a[i], b[i]) ← op(a[i], b[i], x[i]), in place.</summary>
    public static void Update<TOp>(TOp op, Span<float> a, Span<float> b, ReadOnlySpan<float> x)
        where TOp : struct, IUpdate2Operator
    {
        for (int i = 0; i < a.Length; i++) op.Invoke(ref a[i], ref b[i], x[i]);
    }

    /// <summary>(a[i], b[i], c[i]) ← op(a[i], b[i], c[i], x[i]), in place.</summary>
    public static void Update<TOp>(TOp op, Span<float> a, Span<float> b, Span<float> c, ReadOnlySpan<float> x)
        where TOp : struct, IUpdate3Operator
    {
        for (int i = 0; i < a.Length; i++) op.Invoke(ref a[i], ref b[i], ref c[i], x[i]);
    }

    /// <summary>Combine(…Combine(Combine(Identity, map(x[0])), map(x[1]))…, map(x[n−1])): the aggregate in element order.</summary>
    public static float Reduce<TMap, TAgg>(TMap map, ReadOnlySpan<float> x)
        where TMap : struct, IUnaryOperator where TAgg : struct, IAggregator
    {
        float acc = TAgg.Identity;
        for (int i = 0; i < x.Length; i++) acc = TAgg.Combine(acc, map.Invoke(x[i]));
        return acc;
    }

    /// <summary>The aggregate of map(x[i], y[i]) in element order, like the unary overload.</summary>
    public static float Reduce<TMap, TAgg>(TMap map, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TMap : struct, IBinaryOperator where TAgg : struct, IAggregator
    {
        float acc = TAgg.Identity;
        for (int i = 0; i < x.Length; i++) acc = TAgg.Combine(acc, map.Invoke(x[i], y[i]));
        return acc;
    }
}
