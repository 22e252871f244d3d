namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = value. (<see cref="Span{T}.Fill"/> is already vectorized; this names it beside the other kernels.)</summary>
    public static void Fill(Span<float> destination, float value) => destination.Fill(value);

    /// <summary>The specification of <see cref="Fill"/>.</summary>
    internal static void FillScalar(Span<float> destination, float value)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = value;
    }
}
