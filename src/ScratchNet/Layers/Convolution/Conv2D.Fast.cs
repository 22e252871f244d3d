using ScratchNet.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace ScratchNet.Layers;

// The fast path: im2col into a reused buffer, then one GEMM per product for the whole batch.
// Buffers only grow: a smaller batch (the last of an epoch) uses the front of them, so alternating
// between training and evaluation batch sizes does not reallocate.
public sealed partial class Conv2D
{
    /// <summary>
    /// Inference splits a large batch into chunks whose patch matrix stays under this many floats
    /// (16 MiB), so evaluating 500 images at once does not need hundreds of megabytes.
    /// </summary>
    private const int MaxInferenceCols = 1 << 22;

    private int _batch = -1;
    private Tensor _output = null!;      // (N, outC, OH, OW), a view of _outputData
    private Tensor _gradInput = null!;   // (N, C, H, W), a view of _gradInputData
    private Tensor? _lastInput;
    private bool _colsHoldBatch;         // whether _cols holds the patches of all of _lastInput
    private float[] _outputData = [], _gradInputData = [];
    private float[] _cols = [];          // (C·k·k, N·P): patches of the last forward input
    private float[] _colsGrad = [];      // (C·k·k, N·P): Wᵀ · dY before col2im
    private float[] _product = [];       // (outC, N·P): W · cols, or dY regrouped by channel

    private static void Grow(ref float[] buffer, long length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }

    /// <summary>y = conv(x, W) + b for a batch (N, C, H, W); returns (N, outC, OH, OW), a reused buffer.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        int batch = _g.BatchOf(input, "Conv2D");
        int p = _g.OutPlane, kk = _g.PatchLength;
        if (batch != _batch)
        {
            Grow(ref _outputData, (long)batch * OutChannels * p);
            _output = new Tensor(_outputData, 0, batch, OutChannels, _g.OutHeight, _g.OutWidth);
            _batch = batch;
        }
        _lastInput = input;
        int chunk = training ? batch : Math.Clamp(MaxInferenceCols / Math.Max(1, kk * p), 1, batch);
        Grow(ref _cols, (long)kk * chunk * p);
        Grow(ref _product, (long)OutChannels * chunk * p);
        for (int first = 0; first < batch; first += chunk)
        {
            int count = Math.Min(chunk, batch - first);
            int np = count * p;
            Im2Col.Pack(input.Data, input.Offset + first * _g.Channels * _g.InPlane, count, _g, _cols);
            Gemm.Multiply(false, false, OutChannels, np, kk, 1f, _weight.Value.Span, kk, _cols.AsSpan(0, kk * np), np, 0f, _product.AsSpan(0, OutChannels * np), np);
            ScatterAddBias(first, count);
        }
        _colsHoldBatch = chunk >= batch;
        return _output;
    }

    private readonly record struct ScatterState(Conv2D Layer, int First, int Count);

    // output[first + n, o, :] = product[o, n·P : (n+1)·P] + b[o]
    private void ScatterAddBias(int first, int count)
    {
        ConvParallel.For(count * OutChannels, _g.OutPlane, new ScatterState(this, first, count), static (s, start, end) =>
        {
            var self = s.Layer;
            int p = self._g.OutPlane, outC = self.OutChannels, np = s.Count * p;
            var output = self._output.Span;
            for (int idx = start; idx < end; idx++)
            {
                int n = idx / outC, o = idx % outC;
                var from = self._product.AsSpan(o * np + n * p, p);
                var to = output.Slice(((s.First + n) * outC + o) * p, p);
                if (self._bias is null) from.CopyTo(to);
                else TensorPrimitives.Add(from, self._bias.Value[o], to);
            }
        });
    }

    /// <summary>
    /// Given dL/dy (N, outC, OH, OW), writes dL/dW and dL/db and returns dL/dx (N, C, H, W), a reused buffer.
    /// </summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        int batch = _batch;
        if (batch < 0 || _lastInput is null || !gradOutput.HasShape(batch, OutChannels, _g.OutHeight, _g.OutWidth))
            throw new ShapeMismatchException("Conv2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        int np = batch * _g.OutPlane, kk = _g.PatchLength;
        if (!_colsHoldBatch)
        {
            // The forward pass ran in inference chunks: rebuild the patches of the whole batch.
            Grow(ref _cols, (long)kk * np);
            Im2Col.Pack(_lastInput.Data, _lastInput.Offset, batch, _g, _cols);
            _colsHoldBatch = true;
        }
        Grow(ref _product, (long)OutChannels * np);
        if (_gradInput is null || _gradInput.Dim(0) != batch)
        {
            Grow(ref _gradInputData, (long)batch * _g.Channels * _g.InPlane);
            _gradInput = new Tensor(_gradInputData, 0, batch, _g.Channels, _g.Height, _g.Width);
        }
        GatherGradient(gradOutput, batch);
        var dY = _product.AsSpan(0, OutChannels * np);
        // dW (outC x C·k·k) = dY (outC x N·P) · colsᵀ (N·P x C·k·k)
        Gemm.Multiply(false, true, OutChannels, kk, np, 1f, dY, np, _cols.AsSpan(0, kk * np), np, 0f, _weight.Gradient.Span, kk);
        if (!ComputeInputGradient) return _gradInput; // never written, so all zeros
        // dcols (C·k·k x N·P) = Wᵀ (C·k·k x outC) · dY (outC x N·P)
        Grow(ref _colsGrad, (long)kk * np);
        Gemm.Multiply(true, false, kk, np, OutChannels, 1f, _weight.Value.Span, kk, dY, np, 0f, _colsGrad.AsSpan(0, kk * np), np);
        Im2Col.Unpack(_colsGrad, batch, _g, _gradInputData, 0);
        return _gradInput;
    }

    private readonly record struct GatherState(Conv2D Layer, Tensor GradOutput, int Batch);

    // product[o, n·P + q] = dY[n, o, q], and db[o] = Σ_n Σ_q dY[n, o, q] summed in that order.
    private void GatherGradient(Tensor gradOutput, int batch)
    {
        ConvParallel.For(OutChannels, (long)batch * _g.OutPlane, new GatherState(this, gradOutput, batch), static (s, start, end) =>
        {
            var self = s.Layer;
            int p = self._g.OutPlane, outC = self.OutChannels, np = s.Batch * p;
            var grad = s.GradOutput.Span;
            for (int o = start; o < end; o++)
            {
                double sum = 0;
                for (int n = 0; n < s.Batch; n++)
                {
                    var from = grad.Slice((n * outC + o) * p, p);
                    from.CopyTo(self._product.AsSpan(o * np + n * p, p));
                    sum += TensorPrimitives.Sum(from);
                }
                if (self._bias is not null) self._bias.Gradient[o] = (float)sum;
            }
        });
    }
}
