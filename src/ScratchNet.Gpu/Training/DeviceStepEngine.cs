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
/// Training steps on a device for a <see cref="Sequential"/> of Dense layers, activations and Flatten,
/// with softmax cross-entropy and SGD, Momentum, Nesterov, Adam or AdamW. The parameters, their
/// gradients and the optimizer's state live in flat device vectors (one launch updates them all);
/// the training set is uploaded once and each batch is gathered on the device from the epoch's order.
/// A step launches, in order on one stream:
/// <code>
/// X, y  = gather(data, order[start .. start+B))
/// A₀ = X;  Aₗ₊₁ = Aₗ W + b (Dense) or f(Aₗ) (activation)               forward
/// L, G  = softmax cross-entropy(A_last, y): G = (softmax − onehot)/B    loss on the device
/// dW = Aₗᵀ G,  db = Σ_rows G,  G ← G Wᵀ;   G ← f'(·) ⊙ G              backward, down to the first Dense
/// θ ← update(θ, g)                                                      one launch over all parameters
/// </code>
/// and reads nothing back; <see cref="ReadOutcome"/> reads the step's loss and correct count (two doubles).
/// </summary>
internal sealed class DeviceStepEngine : IStepEngine
{
    private readonly GpuDevice _device;
    private readonly Sequential _model;
    private readonly Optimizer _optimizer;
    private readonly float _threshold;
    private readonly int _capacity, _width, _samples, _classes;
    private readonly List<Op> _ops = [];
    private readonly List<IDisposable> _owned = [];
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _data, _targets, _theta, _gradient, _decays, _x, _y, _gradA, _gradB;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _slots;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _order, _rowCorrect;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _rowLoss, _outcome;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _activations; // output of each layer, capacity × width
    private readonly int _parameterCount;
    private long _steps;
    private int _lastCount;

    /// <summary>One layer's work: a Dense layer (its parameters' offsets in θ), an activation, or Flatten (nothing).</summary>
    private sealed record Op(Layer Layer, int Inputs, int Outputs, int WeightOffset, int BiasOffset, ActivationKind Kind, float Alpha);

    public DeviceStepEngine(GpuDevice device, Sequential model, Optimizer optimizer, Dataset train, int batchSize, float binaryThreshold)
    {
        _device = device;
        _model = model;
        _optimizer = optimizer;
        _threshold = binaryThreshold;
        _capacity = batchSize;
        _samples = train.Count;
        var acc = device.Accelerator;
        try
        {
            _width = train.SampleShape.Aggregate(1, (a, d) => checked(a * d));
            int offset = 0, width = _width;
            foreach (var layer in model.Layers)
            {
                switch (layer)
                {
                    case Dense dense:
                        int w = offset; offset = checked(offset + dense.Weight.Value.Length);
                        int b = -1;
                        if (dense.Bias is { } bias) { b = offset; offset = checked(offset + bias.Value.Length); }
                        _ops.Add(new Op(layer, dense.Inputs, dense.Units, w, b, default, 0));
                        width = dense.Units;
                        break;
                    case Flatten:
                        _ops.Add(new Op(layer, width, width, -1, -1, default, 0));
                        break;
                    default:
                        var (kind, alpha) = GpuEngines.KindOf(layer);
                        _ops.Add(new Op(layer, width, width, -1, -1, kind, alpha));
                        break;
                }
            }
            _parameterCount = offset;
            _classes = width;

            _data = Own(acc.Allocate1D<float>(Math.Max(1, (long)_samples * _width)));
            _targets = Own(acc.Allocate1D<float>(Math.Max(1, _samples)));
            _order = Own(acc.Allocate1D<int>(Math.Max(1, _samples)));
            Upload(train);

            _theta = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            _gradient = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            _decays = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            int slotCount = optimizer switch { Momentum => 1, Adam or AdamW => 2, _ => 0 };
            _slots = new MemoryBuffer1D<float, Stride1D.Dense>[slotCount];
            for (int s = 0; s < slotCount; s++) _slots[s] = Own(acc.Allocate1D<float>(Math.Max(1, _parameterCount)));
            LoadFromHost();

            _x = Own(acc.Allocate1D<float>(Math.Max(1, (long)_capacity * _width)));
            _y = Own(acc.Allocate1D<float>(Math.Max(1, _capacity)));
            int widest = Math.Max(_width, _ops.Count == 0 ? 1 : _ops.Max(o => Math.Max(o.Inputs, o.Outputs)));
            _activations = _ops.Select(o => o.Layer is Flatten ? null! : Own(acc.Allocate1D<float>(Math.Max(1, (long)_capacity * o.Outputs)))).ToArray();
            _gradA = Own(acc.Allocate1D<float>(Math.Max(1, (long)_capacity * widest)));
            _gradB = Own(acc.Allocate1D<float>(Math.Max(1, (long)_capacity * widest)));
            _rowLoss = Own(acc.Allocate1D<double>(Math.Max(1, _capacity)));
            _rowCorrect = Own(acc.Allocate1D<int>(Math.Max(1, _capacity)));
            _outcome = Own(acc.Allocate1D<double>(2));
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

        // Forward: each layer's input is the output of the last layer before it that has one (Flatten has none).
        var inputs = new ArrayView<float>[_ops.Count];
        ArrayView<float> a = _x.View;
        for (int l = 0; l < _ops.Count; l++)
        {
            var op = _ops[l];
            inputs[l] = a;
            if (op.Layer is Flatten) continue;
            var y = _activations[l].View;
            if (op.Layer is Dense)
            {
                d.MatrixProduct.Multiply(false, false, count, op.Outputs, op.Inputs, 1f, a, op.Inputs, Weights(op), op.Outputs, 0f, y, op.Outputs);
                if (op.BiasOffset >= 0) d.Bias.AddRowVector(y, count, op.Outputs, _theta.View.SubView(op.BiasOffset, op.Outputs));
            }
            else d.Activations.Forward(op.Kind, op.Alpha, a, y, count * op.Outputs);
            a = y;
        }

        d.SoftmaxCrossEntropy.Run(a, _y.View, count, _classes, _threshold, _gradA.View, _rowLoss.View, _rowCorrect.View, _outcome.View);

        // Backward down to the first layer with parameters: nothing needs dL/dx of the data.
        int first = _ops.FindIndex(o => o.Layer is Dense);
        ArrayView<float> g = _gradA.View, spare = _gradB.View;
        for (int l = _ops.Count - 1; l >= first && first >= 0; l--)
        {
            var op = _ops[l];
            if (op.Layer is Flatten) continue;
            var x = inputs[l];
            if (op.Layer is Dense)
            {
                var dW = _gradient.View.SubView(op.WeightOffset, op.Inputs * op.Outputs);
                d.MatrixProduct.Multiply(true, false, op.Inputs, op.Outputs, count, 1f, x, op.Inputs, g, op.Outputs, 0f, dW, op.Outputs);
                if (op.BiasOffset >= 0) d.Bias.ColumnSums(g, count, op.Outputs, _gradient.View.SubView(op.BiasOffset, op.Outputs));
                if (l == first) break;
                d.MatrixProduct.Multiply(false, true, count, op.Inputs, op.Outputs, 1f, g, op.Outputs, Weights(op), op.Outputs, 0f, spare, op.Inputs);
                (g, spare) = (spare, g);
            }
            else d.Activations.Backward(op.Kind, op.Alpha, x, _activations[l].View, g, g, count * op.Outputs);
        }

        Update(learningRate);
    }

    public StepOutcome ReadOutcome()
    {
        var values = new double[2];
        _outcome.View.CopyToCPU(values);
        return new StepOutcome((float)values[0], (int)values[1], _lastCount);
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

    private ArrayView<float> Weights(Op op) => _theta.View.SubView(op.WeightOffset, op.Inputs * op.Outputs);

    /// <summary>θ, the decay mask and the optimizer's state (zeros before its first step) from the host.</summary>
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
