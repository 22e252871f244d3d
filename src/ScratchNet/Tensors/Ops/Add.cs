namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = x[i] + y[i].</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Add), "y");
        RequireLength(x.Length, destination.Length, nameof(Add), "destination");
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] + y[i];
    }

    /// <summary>destination[i] = x[i] - y[i].</summary>
    public static void Subtract(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Subtract), "y");
        RequireLength(x.Length, destination.Length, nameof(Subtract), "destination");
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] - y[i];
    }

    /// <summary>destination[i] = x[i] * y[i] (the Hadamard product).</summary>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Multiply), "y");
        RequireLength(x.Length, destination.Length, nameof(Multiply), "destination");
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] * y[i];
    }

    /// <summary>destination[i] = alpha * x[i].</summary>
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Scale), "destination");
        for (int i = 0; i < x.Length; i++) destination[i] = alpha * x[i];
    }

    /// <summary>y[i] += alpha * x[i] (BLAS axpy).</summary>
    public static void AddScaled(Span<float> y, float alpha, ReadOnlySpan<float> x)
    {
        RequireLength(y.Length, x.Length, nameof(AddScaled), "x");
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }
}
