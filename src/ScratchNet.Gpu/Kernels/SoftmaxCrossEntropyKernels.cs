using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Softmax cross-entropy on a device, as <c>ScratchNet.Losses.SoftmaxCrossEntropy</c>: for a batch of B
/// rows of logits z with class targets t,
/// <code>
/// ℓᵢ = log Σₖ e^(zᵢₖ - mᵢ) - (zᵢₜ - mᵢ),   mᵢ = maxₖ zᵢₖ          (a stable -log softmax(zᵢ)ₜ)
/// L  = (1/B) Σᵢ ℓᵢ                                                 (summed in double, in row order)
/// ∂L/∂zᵢₖ = (softmax(zᵢ)ₖ - [k = tᵢ]) / B
/// </code>
/// and the predicted class of each row (the first largest logit; for one column, 1 when z ≥ the
/// threshold), so that the batch's correct rows are counted on the device too. One thread per row,
/// then one thread sums the rows in order: no atomics, the same bits on every run. The loss and
/// the count land in a two-value device buffer that the host reads only when it asks.
/// </summary>
internal sealed class SoftmaxCrossEntropyKernels
{
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<int>, RowShape> _rows;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<double>, int> _batch;

    /// <summary>Sizes and scalars of one call.</summary>
    internal struct RowShape
    {
        public int Classes;
        public float Scale, Threshold;
    }

    /// <summary>Compiles the kernels for <paramref name="accelerator"/>.</summary>
    public SoftmaxCrossEntropyKernels(Accelerator accelerator)
    {
        _rows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<int>, RowShape>(RowKernel);
        _batch = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<int>, ArrayView<double>, int>(BatchKernel);
    }

    /// <summary>
    /// For the B×C logits <paramref name="logits"/> and the B class indices <paramref name="targets"/>
    /// (as floats, each checked in [0, C) before upload): the gradient (softmax − onehot)/B into
    /// <paramref name="gradient"/>, and <paramref name="outcome"/>[0] = L, <paramref name="outcome"/>[1] = correct rows.
    /// <paramref name="rowLoss"/> and <paramref name="rowCorrect"/> are scratch of B values.
    /// </summary>
    public void Run(ArrayView<float> logits, ArrayView<float> targets, int batch, int classes, float threshold,
        ArrayView<float> gradient, ArrayView<double> rowLoss, ArrayView<int> rowCorrect, ArrayView<double> outcome)
    {
        if (classes < 1) throw new ArgumentException($"SoftmaxCrossEntropy: logits of {classes} classes.");
        if (logits.Length < (long)batch * classes || gradient.Length < (long)batch * classes || targets.Length < batch
            || rowLoss.Length < batch || rowCorrect.Length < batch || outcome.Length < 2)
            throw new ArgumentException($"SoftmaxCrossEntropy: {batch}x{classes} logits, a view is shorter.");
        if (batch > 0)
            _rows(batch, logits, targets, gradient, rowLoss, rowCorrect, new RowShape { Classes = classes, Scale = 1f / batch, Threshold = threshold });
        _batch(1, rowLoss, rowCorrect, outcome, batch);
    }

    private static void RowKernel(Index1D row, ArrayView<float> z, ArrayView<float> targets, ArrayView<float> grad, ArrayView<double> rowLoss, ArrayView<int> rowCorrect, RowShape s)
    {
        int c = s.Classes;
        long at = (long)(int)row * c;
        int target = (int)targets[row];
        float max = z[at];
        int best = 0;
        for (int k = 1; k < c; k++)
        {
            float v = z[at + k];
            if (v > max) { max = v; best = k; }
        }
        double sum = 0;
        for (int k = 0; k < c; k++)
        {
            float e = MathF.Exp(z[at + k] - max);
            grad[at + k] = e;
            sum += e;
        }
        rowLoss[row] = Math.Log(sum) - (z[at + target] - max);
        float inverse = (float)(1.0 / sum);
        for (int k = 0; k < c; k++) grad[at + k] = grad[at + k] * inverse * s.Scale;
        grad[at + target] -= s.Scale;
        int predicted = c == 1 ? (z[at] >= s.Threshold ? 1 : 0) : best;
        rowCorrect[row] = predicted == target ? 1 : 0;
    }

    private static void BatchKernel(Index1D index, ArrayView<double> rowLoss, ArrayView<int> rowCorrect, ArrayView<double> outcome, int batch)
    {
        double total = 0;
        int correct = 0;
        for (int i = 0; i < batch; i++)
        {
            total += rowLoss[i];
            correct += rowCorrect[i];
        }
        outcome[0] = batch == 0 ? 0 : total / batch;
        outcome[1] = correct;
    }
}
