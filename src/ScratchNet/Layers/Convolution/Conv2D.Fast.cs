using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace ScratchNet.Layers;

// The fast path: GEMMs over many samples at once. The patch matrix (im2col) of the forward product
// W · cols and of the weight gradient dY · colsᵀ is never written out: PatchPanels hands the GEMM each
// packed panel straight from the input.
//
// dx = col2im(Wᵀ · dY) goes through in chunks of samples whose patch block (C·k·k x chunk·P) is about
// 1 MiB, one chunk per thread at a time, so that what the GEMM writes is still in that core's L2 cache
// when col2im reads it; the forward product goes in chunks of about 4 MiB. Chunk sizes depend only on
// the layer's shape, never on the thread count, so results stay the same bits with any Compute.Threads.
//
// Buffers only grow: a smaller batch (the last of an epoch, or an evaluation batch) uses the front of
// them, so alternating between batch sizes does not reallocate.
public sealed partial class Conv2D : IDeferredOutput
{
    /// <summary>Target size, in floats, of one chunk of the forward product.</summary>
    private const int ChunkFloats = 1 << 20;

    /// <summary>Target size, in floats, of one chunk of dcols: within one core's L2 cache (1 MiB here).</summary>
    private const int DxChunkFloats = 1 << 18;

    private int _batch = -1;
    private Tensor? _output;             // (N, outC, OH, OW), a view of _outputData
    private Tensor? _gradInput;          // (N, C, H, W), a view of _gradInputData
    private Tensor? _lastInput;
    private float[] _outputData = [], _gradInputData = [];
    private readonly PatchPanels _patches = new();
    private float[] _product = [];       // (outC, N·P): W · cols for one chunk, or dY regrouped by channel

    /// <summary>
    /// Samples per chunk of dx: the largest power of two whose patches fit in <see cref="DxChunkFloats"/>
    /// floats, at least one sample. A power of two cuts a power-of-two batch into a number of chunks that
    /// 2 or 4 threads share evenly: the second mnist-cnn layer's 5 samples a chunk made 13 chunks of a
    /// batch of 64, 7 on one thread and 6 on the other; 4 a chunk make 16. Each sample's dx is its own
    /// GEMM columns and its own col2im planes, so the chunking never changes a bit.
    /// </summary>
    private int ChunkSamples(int batch)
    {
        int fits = Math.Max(1, DxChunkFloats / Math.Max(1, _g.PatchLength * _g.OutPlane));
        return Math.Clamp(1 << System.Numerics.BitOperations.Log2((uint)fits), 1, Math.Max(1, batch));
    }

    /// <summary>Samples per chunk of the forward product: about <see cref="ChunkFloats"/> floats of output.</summary>
    private int ForwardChunkSamples(int batch) => Math.Clamp(ChunkFloats / Math.Max(1, OutChannels * _g.OutPlane), 1, Math.Max(1, batch));

    /// <summary>
    /// The row stride for a matrix of <paramref name="columns"/> columns: a multiple of 16 floats (whole
    /// cache lines) that is not a multiple of 256. Rows 4 KiB apart (N·P = 4096 in the second layer)
    /// fall in the same cache sets, and the GEMM's transposed packing of dY reads 8 such rows at a time.
    /// </summary>
    private static int PaddedStride(int columns)
    {
        int stride = (columns + 15) / 16 * 16;
        return stride % 256 == 0 ? stride + 16 : stride;
    }

    /// <summary>y = conv(x, W) + b for a batch (N, C, H, W); returns (N, outC, OH, OW), a reused buffer.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        _deferred = null;
        return ForwardRun(input);
    }

    // The layers a fused run applies to each output plane as soon as it is written (ForwardThrough);
    // set for the length of one forward pass only. With a pool and no _activated, the ReLU's output is
    // deferred: each plane is rectified and pooled in the thread's scratch, and the batch's ReLU output
    // is written only if the ReLU or the pool asks for it (WriteDeferredOutput).
    private Activation? _fusedActivation;
    private MaxPool2D? _fusedPool;
    private Tensor? _activated;

    // The last pass's deferral, while no other pass has run: the ReLU and the pool of that run and the
    // ReLU's output buffer, and whether that buffer has been written since.
    private (ReLU Relu, MaxPool2D Pool, Tensor Activated)? _deferred;
    private bool _deferredWritten;

    /// <summary>
    /// Whether <paramref name="next"/>, the layer after this one, can take this layer's bias into its
    /// pass over each output plane (<see cref="ForwardThrough"/>): a layer with a bias followed by a ReLU.
    /// </summary>
    internal bool CanFuse(Layer next) => _bias is not null && next is ReLU;

    /// <summary>
    /// relu(conv(x, W) + b), then max-pooled when <paramref name="pool"/> (the layer after the ReLU) is
    /// given: this layer's <see cref="Forward"/>, then the ReLU's, then the pool's, with the same bits,
    /// but the bias, the ReLU and the pooling applied to each output plane while it is still in cache.
    /// The pre-activation conv(x, W) + b is not kept (it stays in the thread's scratch or the product
    /// buffer): backward needs only the ReLU's output, whose sign pattern is the pre-activation's, and
    /// each layer's state is otherwise what the layers one by one leave. The pool records its windows'
    /// winners only while <paramref name="training"/> (see <see cref="MaxPool2D.Forward"/>). With a pool,
    /// the ReLU's output is rectified and pooled in the scratch and not written out either: backward
    /// through the run needs only the pooled output and the winners, and should the ReLU's output be
    /// read after all (its own Backward or region fingerprint, or the winners after an inference pass),
    /// it is written then (<see cref="IDeferredOutput"/>). Only when <see cref="CanFuse"/>.
    /// </summary>
    internal Tensor ForwardThrough(ReLU relu, MaxPool2D? pool, Tensor input, bool training)
    {
        int batch = _g.BatchOf(input, "Conv2D");
        var z = ConvBuffers.View(ref _outputData, ref _output, batch, [OutChannels, _g.OutHeight, _g.OutWidth]);
        var activated = relu.PrepareForward(z, writtenLaterBy: pool is null ? null : this);
        var pooled = pool?.PrepareForward(batch, activated, training, writtenLaterBy: this);
        _deferred = pool is null ? null : (relu, pool, activated);
        _deferredWritten = false;
        _fusedActivation = relu;
        _activated = pool is null ? activated : null;
        _fusedPool = pool;
        try { ForwardRun(input); }
        finally { _fusedActivation = null; _fusedPool = null; _activated = null; } // hold no references between passes
        return pooled ?? activated;
    }

    /// <summary>
    /// Writes the ReLU's output that the last run deferred, running the convolution and the ReLU again
    /// on the same input (pooling nothing): the same bits as the run would have written.
    /// </summary>
    void IDeferredOutput.WriteDeferredOutput(Layer consumer)
    {
        if (_deferred is not { } run || (consumer != run.Relu && consumer != run.Pool))
            throw new InvalidOperationException($"{consumer}: the values it needs from its fused run with Conv2D are gone, because that Conv2D has run again since; run the forward pass again first.");
        if (_deferredWritten) return;
        _deferredWritten = true;
        _fusedActivation = run.Relu;
        _activated = run.Activated;
        try { ForwardRun(_lastInput!); }
        finally { _fusedActivation = null; _activated = null; }
    }

    /// <summary>
    /// dL/dx of this layer and every parameter gradient from dL/dy of the last layer
    /// <see cref="ForwardThrough"/> ran (the ReLU, or the pool after it): with a pool, each pooled
    /// gradient goes straight to its window's winner where the ReLU's input is positive
    /// (<see cref="ReLU.BackwardThroughPool"/>); the bits of the layers' Backward one after another.
    /// </summary>
    internal Tensor BackwardThrough(ReLU relu, MaxPool2D? pool, Tensor gradOutput)
    {
        // A layer of large planes whose dL/dx nobody wants (a first layer) sums dW sample by sample:
        // each sample's dL/dy is then built from the pooled gradient in this thread's scratch, where the
        // GEMM reads it in cache, and the batch's is never written out.
        if (pool is not null && _g.OutPlane >= PerSamplePlane && !(ComputeInputGradient && InputGradientRequired) && _batch >= 0 && _lastInput is not null)
        {
            pool.EnsureWinners();
            WeightGradientBySample(gradOutput, _batch, pool);
            return ConvBuffers.View(ref _gradInputData, ref _gradInput, _batch, InputShape); // dL/dx unspecified, as Backward leaves it
        }
        return Backward(pool is null ? relu.Backward(gradOutput) : relu.BackwardThroughPool(pool, gradOutput));
    }

    private Tensor ForwardRun(Tensor input)
    {
        int batch = _g.BatchOf(input, "Conv2D");
        int p = _g.OutPlane, kk = _g.PatchLength;
        var output = ConvBuffers.View(ref _outputData, ref _output, batch, [OutChannels, _g.OutHeight, _g.OutWidth]);
        _batch = batch;
        _lastInput = input;
        if (p >= PerSamplePlane)
        {
            ForwardBySample(input, batch);
            return output;
        }
        if (_fusedPool is not null && _activated is null && UsesPooledRows(_fusedPool))
        {
            ForwardPooledRows(input, batch, _fusedPool);
            return output;
        }
        int chunk = ForwardChunkSamples(batch);
        ConvBuffers.Grow(ref _product, (long)OutChannels * chunk * p);
        for (int first = 0; first < batch; first += chunk)
        {
            int count = Math.Min(chunk, batch - first), np = count * p;
            // product (outC x count·P) = W (outC x C·k·k) · cols[:, chunk]
            Gemm.MultiplyFromPanels(false, OutChannels, np, kk, 1f, _weight.Value.Span, kk,
                _patches.Set(input.Data, input.Offset, _g, first * p, transposed: false), 0f, _product.AsSpan(0, OutChannels * np), np);
            ScatterAddBias(first, count);
        }
        _patches.Clear();
        return output;
    }

    // Output plane `plane` (sample · outC + o) is to = from + b[o] (from may be to itself). In a fused
    // run the pre-activation from + b[o] overwrites `from` instead, and the ReLU's plane and the pool's
    // are written from it in the same pass; with the ReLU's output deferred, its plane overwrites
    // `from` too, and the pool reads it there.
    private void FinishPlane(int plane, int o, Span<float> from, Span<float> to)
    {
        if (_fusedActivation is null)
        {
            if (_bias is null) from.CopyTo(to);
            else TensorPrimitives.Add(from, _bias.Value[o], to);
            return;
        }
        int p = _g.OutPlane;
        var activated = _activated is null ? from : _activated.Span.Slice(plane * p, p);
        _fusedActivation.ApplyAddingConstant(from, _bias!.Value[o], from, activated);
        _fusedPool?.ForwardPlane(activated, plane);
    }

    /// <summary>
    /// From this many output positions per channel (the first mnist-cnn layer has 576), each sample's
    /// product is a GEMM of its own, written straight into the NCHW output, and dW is summed sample by
    /// sample from dL/dy as it comes: no regrouping pass over the (large) output and its gradient.
    /// </summary>
    private const int PerSamplePlane = 256;

    private PatchPanels[] _samplePatches = [];

    /// <summary>One patch source per sample (sample n's columns start at n·P), serving <paramref name="input"/>.</summary>
    private void SetSamplePatches(Tensor input, int batch, bool transposed)
    {
        if (_samplePatches.Length < batch)
        {
            int had = _samplePatches.Length;
            Array.Resize(ref _samplePatches, batch);
            for (int n = had; n < batch; n++) _samplePatches[n] = new PatchPanels();
        }
        for (int n = 0; n < batch; n++) _samplePatches[n].Set(input.Data, input.Offset, _g, n * _g.OutPlane, transposed);
    }

    private void ClearSamplePatches()
    {
        foreach (var patches in _samplePatches) patches.Clear();
    }

    // y[n] (outC x P) = W (outC x C·k·k) · cols_n + b: one single-threaded GEMM per sample, samples in
    // parallel. Each element sums the same terms in the same order as the batched product, so the bits
    // are those of the chunked path. A fused run computes into this thread's scratch instead (eight
    // channels at a time with the direct kernel: 18 KiB for 24 x 24 planes, within L1), which the ReLU
    // and the pool then read in cache: the pre-activation of a whole batch never goes out to memory.
    private void ForwardBySample(Tensor input, int batch)
    {
        if (!UsesDirectKernel) SetSamplePatches(input, batch, transposed: false);
        ConvParallel.For(batch, (long)OutChannels * _g.OutPlane * _g.PatchLength, (this, input), static (s, start, end) =>
        {
            var (self, input) = s;
            int p = self._g.OutPlane, kk = self._g.PatchLength, outC = self.OutChannels;
            bool fused = self._fusedActivation is not null;
            var output = self._output!.Span;
            for (int n = start; n < end; n++)
            {
                var x = input.Span.Slice(n * self._g.InPlane, self._g.InPlane); // the direct kernel's sample: one channel
                int group = self.UsesDirectKernel && fused ? DirectChannels : outC;
                for (int o0 = 0; o0 < outC; o0 += group)
                {
                    int count = Math.Min(group, outC - o0);
                    var y = fused ? Scratch(count * p) : output.Slice((n * outC + o0) * p, count * p);
                    if (self.UsesDirectKernel)
                        ForwardDirect(x, self._g.Width, self._weight.Value.Span.Slice(o0 * kk, count * kk), self.KernelSize, count, self._g.OutHeight, self._g.OutWidth, y);
                    else
                        Gemm.MultiplyFromPanels(false, count, p, kk, 1f, self._weight.Value.Span.Slice(o0 * kk), kk, self._samplePatches[n], 0f, y, p, threads: 1);
                    if (self._bias is null) continue;
                    for (int o = o0; o < o0 + count; o++)
                    {
                        var row = y.Slice((o - o0) * p, p);
                        self.FinishPlane(n * outC + o, o, row, row);
                    }
                }
            }
        });
        ClearSamplePatches();
    }

    /// <summary>Output channels the direct kernel holds in registers at once (its 8 x 16 block).</summary>
    private const int DirectChannels = 8;

    /// <summary>This thread's scratch for a fused run's pre-activation, at least <paramref name="length"/> floats.</summary>
    private static Span<float> Scratch(int length)
    {
        if (t_preActivation is null || t_preActivation.Length < length) t_preActivation = new float[length];
        return t_preActivation.AsSpan(0, length);
    }

    [ThreadStatic] private static float[]? t_preActivation;

    private readonly record struct ScatterState(Conv2D Layer, int First, int Count);

    // output[first + n, o, :] = product[o, n·P : (n+1)·P] + b[o]
    private void ScatterAddBias(int first, int count)
    {
        ConvParallel.For(count * OutChannels, _g.OutPlane, new ScatterState(this, first, count), static (s, start, end) =>
        {
            var self = s.Layer;
            int p = self._g.OutPlane, outC = self.OutChannels, np = s.Count * p;
            var output = self._output!.Span;
            for (int idx = start; idx < end; idx++)
            {
                int n = idx / outC, o = idx % outC;
                int plane = (s.First + n) * outC + o;
                self.FinishPlane(plane, o, self._product.AsSpan(o * np + n * p, p), output.Slice(plane * p, p));
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
        int p = _g.OutPlane, np = batch * p, kk = _g.PatchLength;
        int dyStride = PaddedStride(np);
        var gradInput = ConvBuffers.View(ref _gradInputData, ref _gradInput, batch, InputShape);
        bool bySample = p >= PerSamplePlane;
        // dx is skipped for a first layer: then the buffer holds zeros or an older dL/dx (unspecified,
        // as Layer.InputGradientRequired allows).
        bool needInputGradient = ComputeInputGradient && InputGradientRequired;
        if (bySample) WeightGradientBySample(gradOutput, batch);
        if (!bySample || needInputGradient)
        {
            ConvBuffers.Grow(ref _product, (long)OutChannels * dyStride);
            GatherGradient(gradOutput, batch, dyStride, biasGradient: !bySample);
        }
        if (!bySample)
        {
            var dY = _product.AsSpan(0, (OutChannels - 1) * dyStride + np);
            // dW (outC x C·k·k) = dY (outC x N·P) · colsᵀ (N·P x C·k·k)
            if ((long)OutChannels * kk <= SmallWeightGradient && np >= 2 * WeightGradientSlice) WeightGradientBySlices(np, kk, dyStride);
            else if (UsesWeightGradientRows) WeightGradientRows(gradOutput, batch);
            else
            {
                Gemm.MultiplyFromPanels(false, OutChannels, kk, np, 1f, dY, dyStride,
                    _patches.Set(_lastInput.Data, _lastInput.Offset, _g, 0, transposed: true), 0f, _weight.Gradient.Span, kk);
                _patches.Clear();
            }
        }
        if (!needInputGradient) return gradInput;

        // dx chunk by chunk, each chunk on one thread from its GEMM to its col2im, so that its dcols
        // never leaves that core's L2 cache.
        int chunks = (batch + ChunkSamples(batch) - 1) / ChunkSamples(batch);
        ConvParallel.For(chunks, (long)ChunkSamples(batch) * p * kk * OutChannels, (this, batch, dyStride), static (s, start, end) =>
        {
            var (self, batch, dyStride) = s;
            int p = self._g.OutPlane, kk = self._g.PatchLength, outC = self.OutChannels, np = batch * p;
            int chunk = self.ChunkSamples(batch), sampleIn = self._g.Channels * self._g.InPlane;
            int longest = kk * PaddedStride(chunk * p);
            if (t_dcols is null || t_dcols.Length < longest) t_dcols = new float[longest];
            for (int index = start; index < end; index++)
            {
                int first = index * chunk, count = Math.Min(chunk, batch - first), cnp = count * p, gradStride = PaddedStride(cnp);
                // dcols (C·k·k x count·P) = Wᵀ (C·k·k x outC) · dY[:, chunk]
                Gemm.Multiply(true, false, kk, cnp, outC, 1f, self._weight.Value.Span, kk,
                    self._product.AsSpan(first * p, (outC - 1) * dyStride + cnp), dyStride, 0f, t_dcols.AsSpan(0, (kk - 1) * gradStride + cnp), gradStride, threads: 1);
                Im2Col.Unpack(t_dcols, gradStride, count, self._g, self._gradInputData, first * sampleIn);
            }
        });
        return gradInput;
    }

    /// <summary>One thread's dcols for one chunk of dx (C·k·k x chunk·P), reused by every layer.</summary>
    [ThreadStatic] private static float[]? t_dcols;

    /// <summary>A weight gradient this small (outC·C·k·k) is summed over fixed column slices instead.</summary>
    private const int SmallWeightGradient = 4096;

    /// <summary>Columns (sample positions) per slice of that sum.</summary>
    private const int WeightGradientSlice = 4096;

    private float[] _weightGradientParts = [];
    private PatchPanels[] _slicePatches = [];

    // A small dW summed over a very long N·P (the first layer: 32 x 25 over 36,864 columns) gives a
    // GEMM too narrow to split across threads without both packing the long operand. Instead: one
    // single-threaded GEMM per fixed slice of columns, the slices in parallel, then the partial sums
    // added in slice order. The slices never depend on the thread count, so neither do the bits.
    private void WeightGradientBySlices(int np, int kk, int dyStride)
    {
        int slices = (np + WeightGradientSlice - 1) / WeightGradientSlice, size = OutChannels * kk;
        ConvBuffers.Grow(ref _weightGradientParts, (long)slices * size);
        if (_slicePatches.Length < slices)
        {
            int had = _slicePatches.Length;
            Array.Resize(ref _slicePatches, slices);
            for (int i = had; i < slices; i++) _slicePatches[i] = new PatchPanels();
        }
        for (int slice = 0; slice < slices; slice++)
            _slicePatches[slice].Set(_lastInput!.Data, _lastInput.Offset, _g, slice * WeightGradientSlice, transposed: true);
        ConvParallel.For(slices, (long)size * WeightGradientSlice, (this, np, kk, dyStride), static (s, start, end) =>
        {
            var self = s.Item1;
            int np = s.np, kk = s.kk, outC = self.OutChannels;
            for (int slice = start; slice < end; slice++)
            {
                int first = slice * WeightGradientSlice, width = Math.Min(WeightGradientSlice, np - first);
                Gemm.MultiplyFromPanels(false, outC, kk, width, 1f,
                    self._product.AsSpan(first, (outC - 1) * s.dyStride + width), s.dyStride,
                    self._slicePatches[slice], 0f, self._weightGradientParts.AsSpan(slice * outC * kk, outC * kk), kk, threads: 1);
            }
        });
        var dW = _weight.Gradient.Span;
        _weightGradientParts.AsSpan(0, size).CopyTo(dW);
        for (int slice = 1; slice < slices; slice++)
            TensorPrimitives.Add(dW, _weightGradientParts.AsSpan(slice * size, size), dW);
    }

    /// <summary>Samples per group of the sample-by-sample dW: about <see cref="WeightGradientSlice"/> columns.</summary>
    private int SamplesPerGroup => Math.Max(1, WeightGradientSlice / _g.OutPlane);

    private double[] _biasGradientParts = [];

    // dW = Σ_groups Σ_{n in group} dY_n · cols_nᵀ, where dY_n (outC x P) is sample n's block of dL/dy as
    // it is, and db[o] = Σ_groups Σ_{n in group} Σ_q dY[n, o, q]. Groups of samples are fixed by the
    // layer's shape, run in parallel, each a run of single-threaded GEMMs adding into its own partial
    // sum; the partial sums are added in group order, so the bits do not depend on the thread count.
    // With a pool, gradOutput is the pool's dL/dy and each dY_n is built from it (MaxPool2D.RectifiedSample).
    private void WeightGradientBySample(Tensor gradOutput, int batch, MaxPool2D? pool = null)
    {
        int perGroup = SamplesPerGroup, groups = (batch + perGroup - 1) / perGroup, size = OutChannels * _g.PatchLength;
        ConvBuffers.Grow(ref _weightGradientParts, (long)groups * size);
        if (_biasGradientParts.Length < groups * OutChannels) _biasGradientParts = new double[groups * OutChannels];
        SetSamplePatches(_lastInput!, batch, transposed: true);
        ConvParallel.For(groups, (long)perGroup * size * _g.OutPlane, (this, gradOutput, batch, pool), static (s, start, end) =>
        {
            var (self, gradOutput, batch, pool) = s;
            int p = self._g.OutPlane, kk = self._g.PatchLength, outC = self.OutChannels, perGroup = self.SamplesPerGroup;
            var dY = gradOutput.Span;
            for (int group = start; group < end; group++)
            {
                var dW = self._weightGradientParts.AsSpan(group * outC * kk, outC * kk);
                var db = self._biasGradientParts.AsSpan(group * outC, outC);
                db.Clear();
                for (int n = group * perGroup; n < Math.Min(batch, (group + 1) * perGroup); n++)
                {
                    var sample = pool is null ? dY.Slice(n * outC * p, outC * p) : pool.RectifiedSample(gradOutput, n, Scratch(outC * p));
                    Gemm.MultiplyFromPanels(false, outC, kk, p, 1f, sample, p, self._samplePatches[n], n == group * perGroup ? 0f : 1f, dW, kk, threads: 1);
                    for (int o = 0; o < outC; o++) db[o] += TensorPrimitives.Sum(sample.Slice(o * p, p));
                }
            }
        });
        ClearSamplePatches();
        var weightGradient = _weight.Gradient.Span;
        _weightGradientParts.AsSpan(0, size).CopyTo(weightGradient);
        for (int group = 1; group < groups; group++)
            TensorPrimitives.Add(weightGradient, _weightGradientParts.AsSpan(group * size, size), weightGradient);
        if (_bias is null) return;
        for (int o = 0; o < OutChannels; o++)
        {
            double sum = 0;
            for (int group = 0; group < groups; group++) sum += _biasGradientParts[group * OutChannels + o];
            _bias.Gradient[o] = (float)sum;
        }
    }

    private readonly record struct GatherState(Conv2D Layer, Tensor GradOutput, int Batch, int Stride, bool BiasGradient);

    // product[o·stride + n·P + q] = dY[n, o, q], and (when asked) db[o] = Σ_n Σ_q dY[n, o, q] summed in that order.
    private void GatherGradient(Tensor gradOutput, int batch, int stride, bool biasGradient)
    {
        ConvParallel.For(OutChannels, (long)batch * _g.OutPlane, new GatherState(this, gradOutput, batch, stride, biasGradient), static (s, start, end) =>
        {
            var self = s.Layer;
            int p = self._g.OutPlane, outC = self.OutChannels, np = s.Stride;
            var grad = s.GradOutput.Span;
            for (int o = start; o < end; o++)
            {
                double sum = 0;
                for (int n = 0; n < s.Batch; n++)
                {
                    var from = grad.Slice((n * outC + o) * p, p);
                    from.CopyTo(self._product.AsSpan(o * np + n * p, p));
                    if (s.BiasGradient) sum += TensorPrimitives.Sum(from);
                }
                if (s.BiasGradient && self._bias is not null) self._bias.Gradient[o] = (float)sum;
            }
        });
    }
}
