using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

// The fast path: im2col into a reused buffer, one GEMM per product for the whole batch.
public sealed partial class Conv2D
{
    private int _batch = -1;
    private Tensor _output = null!;      // (N, outC, OH, OW)
    private Tensor _gradInput = null!;   // (N, C, H, W)
    private float[] _cols = [];          // (C·k·k, N·P): patches of the last forward input
    private float[] _colsGrad = [];      // (C·k·k, N·P): Wᵀ · dY before col2im
    private float[] _product = [];       // (outC, N·P): W · cols, or dY regrouped by channel

    private void EnsureBuffers(int batch)
    {
        if (batch == _batch) return;
        int p = _g.OutPlane;
        _output = new Tensor(batch, OutChannels, _g.OutHeight, _g.OutWidth);
        _gradInput = new Tensor(batch, _g.Channels, _g.Height, _g.Width);
        _cols = new float[(long)_g.PatchLength * batch * p];
        _colsGrad = new float[_cols.Length];
        _product = new float[(long)OutChannels * batch * p];
        _batch = batch;
    }

    /// <summary>y = conv(x, W) + b for a batch (N, C, H, W); returns (N, outC, OH, OW), a reused buffer.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        int batch = _g.BatchOf(input, "Conv2D");
        EnsureBuffers(batch);
        int np = batch * _g.OutPlane, kk = _g.PatchLength;
        Im2Col.Pack(input.Data, input.Offset, batch, _g, _cols);
        Gemm.Multiply(false, false, OutChannels, np, kk, 1f, _weight.Value.Span, kk, _cols.AsSpan(0, kk * np), np, 0f, _product.AsSpan(0, OutChannels * np), np);
        ScatterAddBias(batch);
        return _output;
    }

    private readonly record struct ScatterState(Conv2D Layer, int Batch);

    // output[n, o, :] = product[o, n·P : (n+1)·P] + b[o]
    private void ScatterAddBias(int batch)
    {
        ConvParallel.For(batch * OutChannels, _g.OutPlane, new ScatterState(this, batch), static (s, start, end) =>
        {
            var self = s.Layer;
            int p = self._g.OutPlane, outC = self.OutChannels, np = s.Batch * p;
            var output = self._output.Span;
            for (int idx = start; idx < end; idx++)
            {
                int n = idx / outC, o = idx % outC;
                var from = self._product.AsSpan(o * np + n * p, p);
                var to = output.Slice(idx * p, p);
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
        if (batch < 0 || !gradOutput.HasShape(batch, OutChannels, _g.OutHeight, _g.OutWidth))
            throw new ShapeMismatchException("Conv2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        int np = batch * _g.OutPlane, kk = _g.PatchLength;
        GatherGradient(gradOutput, batch);
        var dY = _product.AsSpan(0, OutChannels * np);
        // dW (outC x C·k·k) = dY (outC x N·P) · colsᵀ (N·P x C·k·k)
        Gemm.Multiply(false, true, OutChannels, kk, np, 1f, dY, np, _cols.AsSpan(0, kk * np), np, 0f, _weight.Gradient.Span, kk);
        // dcols (C·k·k x N·P) = Wᵀ (C·k·k x outC) · dY (outC x N·P)
        Gemm.Multiply(true, false, kk, np, OutChannels, 1f, _weight.Value.Span, kk, dY, np, 0f, _colsGrad.AsSpan(0, kk * np), np);
        Im2Col.Unpack(_colsGrad, batch, _g, _gradInput.Data, 0);
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
