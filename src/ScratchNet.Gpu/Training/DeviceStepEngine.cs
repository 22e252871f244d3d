using ILGPU;
using ILGPU.Runtime;
using ScratchNet.Data;
using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Gpu.Training;

/// <summary>
/// Training steps on a device for a <see cref="Sequential"/> of Dense and Conv2D layers, BatchNorm and
/// BatchNorm2D, MaxPool2D, AvgPool2D and GlobalAveragePool, activations, Flatten, Dropout and RandomShift2D,
/// with softmax cross-entropy and SGD, Momentum, Nesterov, Adam or AdamW. The parameters, their gradients and the optimizer's state live in flat
/// device vectors (one launch updates them all); the training set is uploaded once and each batch is
/// gathered on the device from the epoch's order. A step launches, in order on one stream:
/// <code>
/// X, y  = gather(data, order[start .. start+B))
/// A₀ = X;  Aₗ₊₁ = layerₗ(Aₗ)                                            forward
/// L, G  = softmax cross-entropy(A_last, y): G = (softmax − onehot)/B    loss on the device
/// G ← dL/dAₗ from dL/dAₗ₊₁, and each layer's dW, db                     backward, down to the first layer with parameters
/// g ← g + λ₁ sign(θ) + λ₂ θ;  θ ← θ(1 − ηλ);  g ← clip(g)               the trainer's penalties, decay and clipping, if set
/// θ ← update(θ, g)                                                      one launch over all parameters
/// </code>
/// and reads nothing back; <see cref="ReadOutcome"/> reads the step's loss, correct count and penalty (three doubles).
/// Batch normalisation trains on the batch's statistics and moves its running mean and variance on the
/// device, as the host layers do; they are state outside θ, kept in their own device vector, loaded from
/// the layers when the engine is made and written back into them by <see cref="CopyToHost"/>, so the
/// model the trainer saves evaluates on the CPU with the statistics the device gathered.
/// Dropout's masks and RandomShift2D's offsets are drawn on the host from the layer's own generator
/// (<see cref="Dropout.DrawMask"/>, <see cref="RandomShift2D.DrawShifts"/>), exactly as the host layer
/// draws them, and sent with the step: the only upload inside a step, so that a device run walks the
/// same generators as a host run and a checkpoint's generator states are right on either.
/// </summary>
internal sealed class DeviceStepEngine : IStepEngine
{
    private readonly GpuDevice _device;
    private readonly Sequential _model;
    private readonly Optimizer _optimizer;
    private readonly float _threshold;
    private readonly Regularization? _regularization;
    private readonly float? _clipNorm;
    private readonly int _capacity, _width, _samples, _classes;
    private readonly List<Op> _ops = [];
    private readonly List<IDisposable> _owned = [];
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _data, _targets, _theta, _gradient, _decays, _x, _y, _gradA, _gradB;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _slots;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _order, _rowCorrect;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _rowLoss, _outcome;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>?[] _activations; // output of each layer, capacity × Outputs (none for a pass-through)
    private readonly MemoryBuffer1D<float, Stride1D.Dense>?[] _masks;       // Dropout: the step's mask, capacity × Outputs
    private readonly MemoryBuffer1D<int, Stride1D.Dense>?[] _indices;       // MaxPool2D: each output's winner; RandomShift2D: (dy, dx) per row
    private readonly MemoryBuffer1D<float, Stride1D.Dense>?[] _normalized;  // BatchNorm: x̂, capacity × Outputs
    private readonly MemoryBuffer1D<float, Stride1D.Dense>?[] _invStd;      // BatchNorm: 1/√(σ² + ε) per channel
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _running;        // BatchNorm: each layer's running mean then running variance, in layer order
    private readonly float[] _hostMask = [];
    private readonly int[] _hostShifts = [];
    private readonly int _parameterCount, _runningCount;
    private long _steps;
    private int _lastCount;

    /// <summary>What a layer is on the device.</summary>
    private enum OpKind { Dense, Activation, PassThrough, Conv, MaxPool, Shift, Dropout, BatchNorm, AvgPool, GlobalAvgPool }

    /// <summary>
    /// One layer's work: its kind, the values per sample in and out, its per-sample input shape, where its
    /// weights and bias sit in θ (−1: none; batch normalisation's γ and β are its weights and bias), and
    /// where its running mean sits in the running statistics (−1: none; the variance follows it).
    /// </summary>
    private sealed record Op(Layer Layer, OpKind Kind, int Inputs, int Outputs, int[] InShape, int WeightOffset, int WeightLength, int BiasOffset, ActivationKind Activation, float Alpha, int RunningOffset);

    public DeviceStepEngine(GpuDevice device, Sequential model, TrainerOptions options, Dataset train, int batchSize)
    {
        _device = device;
        _model = model;
        _optimizer = options.Optimizer;
        _threshold = options.BinaryThreshold;
        _regularization = options.Regularization is { IsEmpty: false } penalties ? penalties : null;
        _clipNorm = options.ClipGradientNorm;
        _capacity = batchSize;
        _samples = train.Count;
        var acc = device.Accelerator;
        try
        {
            _width = train.SampleShape.Aggregate(1, (a, d) => checked(a * d));
            int offset = 0, width = _width, running = 0;
            foreach (var layer in model.Layers)
            {
                int outputs = layer.OutputShape(layer.InputShape).Aggregate(1, (a, d) => checked(a * d));
                int w = -1, wLength = 0, b = -1;
                if (layer.Parameters.Count > 0)
                {
                    var (weight, bias) = layer switch
                    {
                        Dense dense => (dense.Weight, dense.Bias),
                        Conv2D conv => (conv.Weight, conv.Bias),
                        BatchNorm norm => (norm.Gamma, (Parameter?)norm.Beta),
                        BatchNorm2D norm => (norm.Gamma, (Parameter?)norm.Beta),
                        _ => throw new ArgumentException($"{layer.GetType().Name} has parameters the device does not place."),
                    };
                    w = offset; wLength = weight.Value.Length; offset = checked(offset + wLength);
                    if (bias is not null) { b = offset; offset = checked(offset + bias.Value.Length); }
                }
                var kind = layer switch
                {
                    Dense => OpKind.Dense,
                    Conv2D => OpKind.Conv,
                    MaxPool2D => OpKind.MaxPool,
                    RandomShift2D shift => shift.MaxShift == 0 ? OpKind.PassThrough : OpKind.Shift,
                    Dropout dropout => dropout.Rate == 0f ? OpKind.PassThrough : OpKind.Dropout,
                    Flatten => OpKind.PassThrough,
                    BatchNorm or BatchNorm2D => OpKind.BatchNorm,
                    AvgPool2D => OpKind.AvgPool,
                    GlobalAveragePool => OpKind.GlobalAvgPool,
                    _ => OpKind.Activation,
                };
                var (activation, alpha) = kind == OpKind.Activation ? GpuEngines.KindOf(layer) : default;
                int r = -1;
                if (kind == OpKind.BatchNorm) { r = running; running = checked(running + 2 * wLength); }
                _ops.Add(new Op(layer, kind, width, outputs, layer.InputShape, w, wLength, b, activation, alpha, r));
                width = outputs;
            }
            _parameterCount = offset;
            _runningCount = running;
            _classes = width;

            _data = Own(acc.Allocate1D<float>(Math.Max(1, (long)_samples * _width)));
            _targets = Own(acc.Allocate1D<float>(Math.Max(1, _samples)));
            _order = Own(acc.Allocate1D<int>(Math.Max(1, _samples)));
            Upload(train);

            _theta = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            _running = Own(acc.Allocate1D<float>(Math.Max(1, _runningCount)));
            _gradient = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            _decays = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            int slotCount = _optimizer switch { Momentum => 1, Adam or AdamW => 2, _ => 0 };
            _slots = new MemoryBuffer1D<float, Stride1D.Dense>[slotCount];
            for (int s = 0; s < slotCount; s++) _slots[s] = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            LoadFromHost();

            _x = Own(acc.Allocate1D<float>(Math.Max(1, (long)_capacity * _width)));
            _y = Own(acc.Allocate1D<float>(Math.Max(1, _capacity)));
            int widest = Math.Max(_width, _ops.Count == 0 ? 1 : _ops.Max(o => Math.Max(o.Inputs, o.Outputs)));
            long PerBatch(Op o) => Math.Max(1, (long)_capacity * o.Outputs);
            _activations = _ops.Select(o => o.Kind == OpKind.PassThrough ? null : Own(acc.Allocate1D<float>(PerBatch(o)))).ToArray();
            _masks = _ops.Select(o => o.Kind == OpKind.Dropout ? Own(acc.Allocate1D<float>(PerBatch(o))) : null).ToArray();
            _indices = _ops.Select(o => o.Kind switch
            {
                OpKind.MaxPool => Own(acc.Allocate1D<int>(PerBatch(o))),
                OpKind.Shift => Own(acc.Allocate1D<int>(2L * _capacity)),
                _ => null,
            }).ToArray();
            _normalized = _ops.Select(o => o.Kind == OpKind.BatchNorm ? Own(acc.Allocate1D<float>(PerBatch(o))) : null).ToArray();
            _invStd = _ops.Select(o => o.Kind == OpKind.BatchNorm ? Own(acc.Allocate1D<float>(o.WeightLength)) : null).ToArray();
            if (_ops.Any(o => o.Kind == OpKind.Dropout)) _hostMask = new float[checked(_capacity * _ops.Where(o => o.Kind == OpKind.Dropout).Max(o => o.Outputs))];
            if (_ops.Any(o => o.Kind == OpKind.Shift)) _hostShifts = new int[checked(2 * _capacity)];
            _gradA = Own(acc.Allocate1D<float>(Math.Max(1, (long)_capacity * widest)));
            _gradB = Own(acc.Allocate1D<float>(Math.Max(1, (long)_capacity * widest)));
            _rowLoss = Own(acc.Allocate1D<double>(Math.Max(1, _capacity)));
            _rowCorrect = Own(acc.Allocate1D<int>(Math.Max(1, _capacity)));
            _outcome = Own(acc.Allocate1D<double>(3)); // the loss, the correct rows, the penalty
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Device => _device.Description;

    public void BeginEpoch(ReadOnlySpan<int> order)
    {
        if (order.Length != _samples) throw new ArgumentException($"The epoch's order has {order.Length} indices for {_samples} samples.");
        _order.View.SubView(0, order.Length).CopyFromCPU(order.ToArray());
    }

    public void Step(int start, int count, float learningRate)
    {
        if (count < 1 || count > _capacity) throw new ArgumentOutOfRangeException(nameof(count), $"A step of {count} rows; the engine holds batches of 1 to {_capacity}.");
        _lastCount = count;
        var d = _device;
        d.Gather.Run(_data.View, _targets.View, _width, _order.View, start, count, _x.View, _y.View);

        // Forward: each layer's input is the output of the last layer before it that has one (a pass-through has none).
        var inputs = new ArrayView<float>[_ops.Count];
        ArrayView<float> a = _x.View;
        for (int l = 0; l < _ops.Count; l++)
        {
            var op = _ops[l];
            inputs[l] = a;
            if (op.Kind == OpKind.PassThrough) continue;
            var x = a.SubView(0, (long)count * op.Inputs);
            var y = _activations[l]!.View.SubView(0, (long)count * op.Outputs);
            switch (op.Kind)
            {
                case OpKind.Dense:
                    d.MatrixProduct.Multiply(false, false, count, op.Outputs, op.Inputs, 1f, x, op.Inputs, Weights(op), op.Outputs, 0f, y, op.Outputs);
                    if (op.BiasOffset >= 0) d.Bias.AddRowVector(y, count, op.Outputs, _theta.View.SubView(op.BiasOffset, op.Outputs));
                    break;
                case OpKind.Conv:
                    var conv = ConvShapeOf(op, count);
                    d.Conv.Forward(conv, x, Weights(op), op.BiasOffset >= 0 ? _theta.View.SubView(op.BiasOffset, conv.OutChannels) : ArrayView<float>.Empty, y);
                    break;
                case OpKind.MaxPool:
                    d.Pool.MaxForward(PoolShapeOf(op, count), x, y, _indices[l]!.View.SubView(0, y.Length));
                    break;
                case OpKind.Shift:
                    var shifts = _hostShifts.AsSpan(0, 2 * count);
                    ((RandomShift2D)op.Layer).DrawShifts(shifts);
                    _indices[l]!.View.SubView(0, shifts.Length).CopyFromCPU(ref shifts[0], shifts.Length);
                    d.Shift.Forward(x, _indices[l]!.View, y, count, op.InShape[0], op.InShape[1], op.InShape[2]);
                    break;
                case OpKind.BatchNorm:
                    var norm = BatchNormShapeOf(op, count);
                    var (momentum, epsilon) = op.Layer is BatchNorm b1 ? (b1.Momentum, b1.Epsilon) : (((BatchNorm2D)op.Layer).Momentum, ((BatchNorm2D)op.Layer).Epsilon);
                    d.BatchNorm.Forward(norm, true, momentum, epsilon, x, Weights(op), _theta.View.SubView(op.BiasOffset, op.WeightLength),
                        _running.View.SubView(op.RunningOffset, op.WeightLength), _running.View.SubView(op.RunningOffset + op.WeightLength, op.WeightLength),
                        _normalized[l]!.View.SubView(0, y.Length), _invStd[l]!.View, y);
                    break;
                case OpKind.AvgPool:
                    d.Pool.AvgForward(PoolShapeOf(op, count), x, y);
                    break;
                case OpKind.GlobalAvgPool:
                    d.Pool.GlobalAvgForward(count * op.InShape[0], op.InShape[1] * op.InShape[2], x, y);
                    break;
                case OpKind.Dropout:
                    var mask = _hostMask.AsSpan(0, count * op.Outputs);
                    ((Dropout)op.Layer).DrawMask(mask);
                    var maskView = _masks[l]!.View.SubView(0, mask.Length);
                    maskView.CopyFromCPU(ref mask[0], mask.Length);
                    d.Dropout.Backward(x, maskView, y); // y = x ⊙ m: the same product as dx = dy ⊙ m
                    break;
                default:
                    d.Activations.Forward(op.Activation, op.Alpha, x, y, count * op.Outputs);
                    break;
            }
            a = _activations[l]!.View;
        }

        d.SoftmaxCrossEntropy.Run(a, _y.View, count, _classes, _threshold, _gradA.View, _rowLoss.View, _rowCorrect.View, _outcome.View.SubView(0, 2));
        var reg = _regularization;
        if (reg is { L1: > 0 } or { L2: > 0 }) d.Gradients.Penalty(_theta.View, _decays.View, _parameterCount, reg.L1, reg.L2, _outcome.View.SubView(2, 1));
        Backward(inputs, count);
        // The host's order (CpuStepEngine): the penalties' gradients, the decoupled decay, then clipping.
        if (reg is { L1: > 0 } or { L2: > 0 }) d.Gradients.AddPenaltyGradient(_gradient.View, _theta.View, _decays.View, _parameterCount, reg.L1, reg.L2);
        if (reg is { DecoupledWeightDecay: > 0 }) d.Gradients.Decay(_theta.View, _decays.View, _parameterCount, 1f - learningRate * reg.DecoupledWeightDecay);
        if (_clipNorm is { } clip) d.Gradients.ClipByGlobalNorm(_gradient.View, _parameterCount, clip);
        Update(learningRate);
    }

    /// <summary>
    /// dL/dθ of every layer from G = dL/dlogits in <c>_gradA</c>, given each layer's input view of the forward pass.
    /// </summary>
    private void Backward(ArrayView<float>[] inputs, int count)
    {
        var d = _device;
        // Backward down to the first layer with parameters: nothing needs dL/dx of the data. Each layer
        // reads G and writes dL/dx into the spare buffer, which becomes G (activations and dropout work in place).
        int first = _ops.FindIndex(o => o.WeightOffset >= 0);
        ArrayView<float> g = _gradA.View, spare = _gradB.View;
        for (int l = _ops.Count - 1; l >= first && first >= 0; l--)
        {
            var op = _ops[l];
            if (op.Kind == OpKind.PassThrough) continue;
            var x = inputs[l].SubView(0, (long)count * op.Inputs);
            var dy = g.SubView(0, (long)count * op.Outputs);
            var dx = spare.SubView(0, (long)count * op.Inputs);
            switch (op.Kind)
            {
                case OpKind.Dense:
                    var dW = _gradient.View.SubView(op.WeightOffset, op.WeightLength);
                    d.MatrixProduct.Multiply(true, false, op.Inputs, op.Outputs, count, 1f, x, op.Inputs, dy, op.Outputs, 0f, dW, op.Outputs);
                    if (op.BiasOffset >= 0) d.Bias.ColumnSums(dy, count, op.Outputs, _gradient.View.SubView(op.BiasOffset, op.Outputs));
                    if (l == first) return;
                    d.MatrixProduct.Multiply(false, true, count, op.Inputs, op.Outputs, 1f, dy, op.Outputs, Weights(op), op.Outputs, 0f, dx, op.Inputs);
                    break;
                case OpKind.Conv:
                    var conv = ConvShapeOf(op, count);
                    // A Conv2D told not to compute dL/dx (a first layer that reads data) hands back zeros, as on the host.
                    bool wantInput = l != first && ((Conv2D)op.Layer).ComputeInputGradient;
                    d.Conv.Backward(conv, x, Weights(op), dy, wantInput ? dx : ArrayView<float>.Empty, _gradient.View.SubView(op.WeightOffset, op.WeightLength),
                        op.BiasOffset >= 0 ? _gradient.View.SubView(op.BiasOffset, conv.OutChannels) : ArrayView<float>.Empty);
                    if (l == first) return;
                    if (!wantInput) dx.MemSetToZero();
                    break;
                case OpKind.MaxPool:
                    d.Pool.MaxBackward(PoolShapeOf(op, count), dy, _indices[l]!.View.SubView(0, dy.Length), dx);
                    break;
                case OpKind.BatchNorm:
                    d.BatchNorm.Backward(BatchNormShapeOf(op, count), true, dy, _normalized[l]!.View.SubView(0, dy.Length), Weights(op), _invStd[l]!.View,
                        dx, _gradient.View.SubView(op.WeightOffset, op.WeightLength), _gradient.View.SubView(op.BiasOffset, op.WeightLength));
                    if (l == first) return;
                    break;
                case OpKind.AvgPool:
                    d.Pool.AvgBackward(PoolShapeOf(op, count), dy, dx);
                    break;
                case OpKind.GlobalAvgPool:
                    d.Pool.GlobalAvgBackward(count * op.InShape[0], op.InShape[1] * op.InShape[2], dy, dx);
                    break;
                case OpKind.Shift:
                    d.Shift.Backward(dy, _indices[l]!.View, dx, count, op.InShape[0], op.InShape[1], op.InShape[2]);
                    break;
                case OpKind.Dropout:
                    d.Dropout.Backward(dy, _masks[l]!.View.SubView(0, dy.Length), dy);
                    continue;
                default:
                    d.Activations.Backward(op.Activation, op.Alpha, x, _activations[l]!.View.SubView(0, dy.Length), dy, dy, count * op.Outputs);
                    continue;
            }
            (g, spare) = (spare, g);
        }
    }

    public StepOutcome ReadOutcome()
    {
        var values = new double[3];
        _outcome.View.CopyToCPU(values);
        float loss = (float)values[0];
        if (_regularization is { L1: > 0 } or { L2: > 0 }) loss += (float)values[2]; // as the host adds the penalty to the batch's loss
        return new StepOutcome(loss, (int)values[1], _lastCount);
    }

    /// <summary>θ and the optimizer's state into the host model and optimizer (with the step count).</summary>
    public void CopyToHost()
    {
        var theta = Download(_theta);
        int at = 0;
        foreach (var p in _model.Parameters)
        {
            theta.AsSpan(at, p.Value.Length).CopyTo(p.Value.Span);
            at += p.Value.Length;
        }
        if (_runningCount > 0)
        {
            var running = new float[_runningCount];
            _running.View.CopyToCPU(running);
            foreach (var op in _ops.Where(o => o.Kind == OpKind.BatchNorm))
            {
                var (mean, variance) = RunningStatisticsOf(op);
                running.AsSpan(op.RunningOffset, op.WeightLength).CopyTo(mean.Span);
                running.AsSpan(op.RunningOffset + op.WeightLength, op.WeightLength).CopyTo(variance.Span);
            }
        }
        if (_slots.Length == 0)
        {
            _optimizer.SetState(new Dictionary<string, Tensor>(), _steps, _model.Parameters);
            return;
        }
        if (_steps == 0) return; // no state yet: the host optimizer makes its zeros on its first step
        string[] names = _slots.Length == 1 ? ["v"] : ["m", "v"];
        var state = new Dictionary<string, Tensor>();
        for (int s = 0; s < _slots.Length; s++)
        {
            var values = Download(_slots[s]);
            at = 0;
            for (int i = 0; i < _model.Parameters.Count; i++)
            {
                var p = _model.Parameters[i];
                var t = new Tensor(p.Value.ShapeArray());
                values.AsSpan(at, t.Length).CopyTo(t.Span);
                state[$"p{i}.{names[s]}"] = t;
                at += t.Length;
            }
        }
        _optimizer.SetState(state, _steps, _model.Parameters);
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }

    /// <summary>One update of all parameters at once, the host optimizer's formula and step count.</summary>
    private void Update(float learningRate)
    {
        long t = _steps + 1;
        int n = _parameterCount;
        var k = _device.Optimizers;
        switch (_optimizer)
        {
            case Sgd: k.Sgd(_theta.View, _gradient.View, n, learningRate); break;
            case Momentum mo: k.Momentum(_theta.View, _slots[0].View, _gradient.View, n, learningRate, mo.MomentumCoefficient, mo.Nesterov); break;
            case Adam ad: k.Adam(_theta.View, _slots[0].View, _slots[1].View, _gradient.View, _decays.View, n, OptimizerKernels.AdamConstants.For(learningRate, ad.Beta1, ad.Beta2, ad.Epsilon, t, 1f)); break;
            case AdamW aw:
                float shrink = aw.WeightDecay > 0 ? 1f - learningRate * aw.WeightDecay : 1f;
                k.Adam(_theta.View, _slots[0].View, _slots[1].View, _gradient.View, _decays.View, n, OptimizerKernels.AdamConstants.For(learningRate, aw.Beta1, aw.Beta2, aw.Epsilon, t, shrink));
                break;
            default: throw new InvalidOperationException($"{_optimizer.Name} has no device update.");
        }
        _steps = t;
    }

    private ArrayView<float> Weights(Op op) => _theta.View.SubView(op.WeightOffset, op.WeightLength);

    private static ConvShape ConvShapeOf(Op op, int count)
    {
        var conv = (Conv2D)op.Layer;
        return ConvShape.Create(count, op.InShape[0], op.InShape[1], op.InShape[2], conv.OutChannels, conv.KernelSize, conv.Stride, conv.Padding);
    }

    private static PoolShape PoolShapeOf(Op op, int count)
    {
        var (size, stride) = op.Layer is MaxPool2D max ? (max.Size, max.Stride) : (((AvgPool2D)op.Layer).Size, ((AvgPool2D)op.Layer).Stride);
        return PoolShape.Create(count, op.InShape[0], op.InShape[1], op.InShape[2], size, stride);
    }

    private static BatchNormShape BatchNormShapeOf(Op op, int count)
    {
        // BatchNorm normalises every value of a sample as its own feature; BatchNorm2D each channel over its plane.
        if (op.Layer is BatchNorm) return BatchNormShape.Create(count, op.Inputs, 1);
        var shape = BatchNormShape.Create(count, op.InShape[0], op.InShape[1] * op.InShape[2]);
        if (shape.Count < 2) // the host layer's rule, in its words
            throw new ArgumentException($"BatchNorm2D: training needs at least 2 values per channel, got input ({count}, {op.InShape[0]}, {op.InShape[1]}, {op.InShape[2]}).");
        return shape;
    }

    private static (Tensor Mean, Tensor Variance) RunningStatisticsOf(Op op) => op.Layer switch
    {
        BatchNorm norm => (norm.RunningMean, norm.RunningVariance),
        _ => (((BatchNorm2D)op.Layer).RunningMean, ((BatchNorm2D)op.Layer).RunningVariance),
    };

    /// <summary>θ, the decay mask, the running statistics and the optimizer's state (zeros before its first step) from the host.</summary>
    private void LoadFromHost()
    {
        var theta = new float[Math.Max(1, _parameterCount)];
        var decays = new float[theta.Length];
        int at = 0;
        foreach (var p in _model.Parameters)
        {
            p.Value.Span.CopyTo(theta.AsSpan(at));
            if (p.Decays) decays.AsSpan(at, p.Value.Length).Fill(1f);
            at += p.Value.Length;
        }
        _theta.View.CopyFromCPU(theta);
        var running = new float[Math.Max(1, _runningCount)];
        foreach (var op in _ops.Where(o => o.Kind == OpKind.BatchNorm))
        {
            var (mean, variance) = RunningStatisticsOf(op);
            mean.Span.CopyTo(running.AsSpan(op.RunningOffset));
            variance.Span.CopyTo(running.AsSpan(op.RunningOffset + op.WeightLength));
        }
        _running.View.CopyFromCPU(running);
        _decays.View.CopyFromCPU(decays);
        _steps = _optimizer.StepCount;
        var state = _optimizer.GetState();
        string[] names = _slots.Length == 1 ? ["v"] : ["m", "v"];
        for (int s = 0; s < _slots.Length; s++)
        {
            var values = new float[theta.Length];
            if (state.Count > 0)
            {
                at = 0;
                for (int i = 0; i < _model.Parameters.Count; i++)
                {
                    var tensor = state.First(e => e.Name == $"p{i}.{names[s]}").Value;
                    tensor.Span.CopyTo(values.AsSpan(at));
                    at += tensor.Length;
                }
            }
            _slots[s].View.CopyFromCPU(values);
        }
    }

    /// <summary>
    /// The training set as float32 rows on the device (read in chunks through <see cref="Dataset.CopyBatch"/>,
    /// the same values the host path trains on), its class indices checked first as the host's loss checks them.
    /// </summary>
    private void Upload(Dataset train)
    {
        const int chunk = 1024;
        var indices = new int[chunk];
        var x = new Tensor([chunk, .. train.SampleShape]);
        var y = new Tensor(chunk);
        var rows = new float[(long)chunk * _width];
        var targets = new float[chunk];
        for (int start = 0; start < _samples; start += chunk)
        {
            int count = Math.Min(chunk, _samples - start);
            for (int i = 0; i < count; i++) indices[i] = start + i;
            var xs = count == chunk ? x : x.SliceRows(0, count);
            var ys = count == chunk ? y : y.SliceRows(0, count);
            train.CopyBatch(indices.AsSpan(0, count), xs, ys);
            for (int i = 0; i < count; i++)
            {
                float t = ys.Span[i];
                if (!(t >= 0 && t < _classes) || t != MathF.Floor(t))
                    throw new ArgumentException($"SoftmaxCrossEntropy: target of sample {start + i} of '{train.Name}' is {t}, not a class index in [0, {_classes}).");
            }
            xs.Span.CopyTo(rows);
            ys.Span.CopyTo(targets);
            _data.View.SubView((long)start * _width, (long)count * _width).CopyFromCPU(rows.AsSpan(0, count * _width).ToArray());
            _targets.View.SubView(start, count).CopyFromCPU(targets.AsSpan(0, count).ToArray());
        }
    }

    private MemoryBuffer1D<T, Stride1D.Dense> Own<T>(MemoryBuffer1D<T, Stride1D.Dense> buffer) where T : unmanaged
    {
        _owned.Add(buffer);
        return buffer;
    }

    private float[] Download(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        var values = new float[Math.Max(1, _parameterCount)];
        buffer.View.CopyToCPU(values);
        return values;
    }
}
