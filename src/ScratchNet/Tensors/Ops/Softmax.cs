namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Row-wise softmax, softmax(x)_j = exp(x_j - max x) / Σ_k exp(x_k - max x). Subtracting the row
    /// maximum keeps exp from overflowing without changing the result. Output may alias input.
    /// </summary>
    public static void SoftmaxRows(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(SoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = MathF.Max(max, x[o + j]);
            float sum = 0;
            for (int j = 0; j < cols; j++) { float e = MathF.Exp(x[o + j] - max); y[o + j] = e; sum += e; }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) y[o + j] *= inv;
        }
    }

    /// <summary>
    /// Row-wise log-softmax, x_j - max x - log Σ_k exp(x_k - max x): stable for any logits. Output may alias input.
    /// </summary>
    public static void LogSoftmaxRows(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(LogSoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = MathF.Max(max, x[o + j]);
            float sum = 0;
            for (int j = 0; j < cols; j++) sum += MathF.Exp(x[o + j] - max);
            float logSum = max + MathF.Log(sum);
            for (int j = 0; j < cols; j++) y[o + j] = x[o + j] - logSum;
        }
    }
}
