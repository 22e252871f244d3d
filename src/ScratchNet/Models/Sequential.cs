using System.Globalization;
using System.Text;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// Layers applied one after another: y = f_n(...f_2(f_1(x))). Backward runs them in reverse,
/// passing dL/dx of each layer on as dL/dy of the one before (the chain rule).
/// </summary>
/// <remarks>
/// A <see cref="Dense"/> followed by an activation that takes its bias (<see cref="Dense.CanFuse"/>:
/// ReLU) runs as one pair: the bias add and the activation in one pass over x W forward, the
/// activation's gradient and the bias gradient's column sum in one pass backward. Each layer keeps
/// the state and gives the bits it would alone, so a layer called on its own still works.
/// Likewise a <see cref="Conv2D"/> with a bias followed by a ReLU, and by a <see cref="MaxPool2D"/>
/// after that when there is one, runs as one: each output plane gets the bias, the ReLU and the
/// pooling while it is still in cache, and backward the pooled gradient goes straight to the
/// window's winner under the ReLU's mask.
/// </remarks>
public sealed class Sequential : Model
{
    private readonly List<Layer> _layers = [];
    private Parameter[] _parameters = [];
    private (string Path, Layer Layer)[] _namedLayers = [];
    private int[] _inputShape = [], _outputShape = [];
    private bool _isBuilt;
    private (int Start, int Count)[] _runs = []; // the layers in runs of 1, or a fused Dense + activation, or Conv2D + ReLU (+ MaxPool2D)

    /// <summary>A model of these layers, not yet built.</summary>
    public Sequential(params Layer[] layers) => _layers.AddRange(layers);

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The per-sample input shape given to <see cref="Build(int[], Rng)"/>.</summary>
    public override int[] InputShape => _inputShape;

    /// <summary>The per-sample output shape.</summary>
    public override int[] OutputShape => _outputShape;

    /// <summary>Whether <see cref="Build(int[], Rng)"/> has run.</summary>
    public override bool IsBuilt => _isBuilt;

    /// <summary>Appends a layer (before <see cref="Build(int[], Rng)"/>).</summary>
    public Sequential Add(Layer layer)
    {
        if (IsBuilt) throw new InvalidOperationException("Cannot add a layer to a model that is already built.");
        _layers.Add(layer);
        return this;
    }

    /// <summary>
    /// Fixes the per-sample input shape and builds every layer, initialising parameters from
    /// <paramref name="rng"/> in layer order. Before allocating anything it measures the layers
    /// (<see cref="Costs"/>) and refuses a model of more than <see cref="Limits.MaxParameters"/>
    /// parameters and buffers.
    /// </summary>
    /// <exception cref="ArgumentException">A layer does not accept its input shape, a shape is too large for an array, or the model is over the parameter limit.</exception>
    public override Sequential Build(int[] inputShape, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        long stored = 0;
        foreach (var cost in Costs(inputShape)) stored = LayerCost.Plus(stored, cost.StoredFloats);
        if (stored > Limits.MaxParameters)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The model needs {stored:N0} parameters and buffers for input {Tensor.FormatShape(inputShape)}, more than the limit of {Limits.MaxParameters:N0} (Limits.MaxParameters)."));
        _inputShape = (int[])inputShape.Clone();
        int[] shape = _inputShape;
        foreach (var layer in _layers)
        {
            layer.Build(shape, rng);
            shape = layer.OutputShape(shape);
        }
        _outputShape = shape;
        _runs = Runs(_layers);
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        _namedLayers = _layers.Select((l, i) => ($"layers.{i}", l)).ToArray();
        _isBuilt = true;
        return this;
    }

    /// <summary>
    /// Each layer's <see cref="LayerCost"/> (parameters and buffers, outputs and work per sample) for
    /// per-sample input <paramref name="inputShape"/>, in layer order, computed without building or
    /// allocating anything.
    /// </summary>
    /// <exception cref="ArgumentException">A layer does not accept the shape it would get, or a shape has more values than an array can hold.</exception>
    public LayerCost[] Costs(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (LayerCost.Elements(inputShape) > Array.MaxLength)
            throw new ArgumentException($"Input shape {Tensor.FormatShape(inputShape)} has more values than an array can hold.");
        var costs = new LayerCost[_layers.Count];
        int[] shape = inputShape;
        for (int i = 0; i < costs.Length; i++)
        {
            var cost = _layers[i].Cost(shape);
            if (cost.OutputFloats > Array.MaxLength || cost.StoredFloats > Array.MaxLength)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Layer {i} ({_layers[i]}) on input {Tensor.FormatShape(shape)} would need {Math.Max(cost.OutputFloats, cost.StoredFloats):N0} values in one array, more than an array can hold."));
            costs[i] = cost;
            shape = _layers[i].OutputShape(shape);
        }
        return costs;
    }

    /// <summary>Builds with a generator seeded by <paramref name="seed"/>.</summary>
    public Sequential Build(int[] inputShape, ulong seed) => Build(inputShape, new Rng(seed));

    /// <summary>Every trainable parameter, in layer order.</summary>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The layers with their paths "layers.{i}" (after <see cref="Build(int[], Rng)"/>).</summary>
    public override IReadOnlyList<(string Path, Layer Layer)> NamedLayers => _namedLayers;

    /// <summary>The layers cut into runs that go forward and backward as one: a single layer, or a fused pair or triple.</summary>
    private static (int Start, int Count)[] Runs(List<Layer> layers)
    {
        var runs = new List<(int, int)>();
        for (int i = 0; i < layers.Count;)
        {
            int count = 1;
            if (i + 1 < layers.Count && layers[i] is Dense dense && dense.CanFuse(layers[i + 1])) count = 2;
            else if (i + 1 < layers.Count && layers[i] is Conv2D conv && conv.CanFuse(layers[i + 1]))
                count = i + 2 < layers.Count && layers[i + 2] is MaxPool2D ? 3 : 2;
            runs.Add((i, count));
            i += count;
        }
        return runs.ToArray();
    }

    /// <summary>Runs the batch through every layer. The result is owned by the last layer (see <see cref="Layer"/>).</summary>
    public override Tensor Forward(Tensor input, bool training = false)
    {
        RequireBuilt();
        Tensor x = input;
        foreach (var (i, count) in _runs)
        {
            x = (count, _layers[i]) switch
            {
                (1, var layer) => layer.Forward(x, training),
                (_, Dense dense) => dense.ForwardThrough((Activation)_layers[i + 1], x),
                (_, Conv2D conv) => conv.ForwardThrough((ReLU)_layers[i + 1], count == 3 ? (MaxPool2D)_layers[i + 2] : null, x, training),
                _ => throw new InvalidOperationException("unreachable: an unknown fused run"),
            };
        }
        return x;
    }

    /// <summary>
    /// Back-propagates dL/dy through every layer, writing every parameter gradient. With
    /// <paramref name="inputGradient"/> false (a training step) nothing below the first layer that has
    /// parameters needs a gradient: that layer skips computing its dL/dx (see
    /// <see cref="Layer.InputGradientRequired"/>), the layers before it (a Flatten) are not run backward,
    /// and null is returned. Otherwise returns dL/dx of the input.
    /// </summary>
    public override Tensor? Backward(Tensor gradOutput, bool inputGradient)
    {
        RequireBuilt();
        int stop = 0;
        if (!inputGradient)
        {
            while (stop < _layers.Count && _layers[stop].Parameters.Count == 0) stop++;
            if (stop == _layers.Count) return null; // no parameters: nothing to compute
        }
        var lowest = _layers.Count > 0 ? _layers[stop] : null;
        bool saved = lowest?.InputGradientRequired ?? true;
        if (lowest is not null) lowest.InputGradientRequired = inputGradient;
        try
        {
            Tensor g = gradOutput;
            // A run starts with its layer of parameters, so the first layer with parameters starts one.
            for (int r = _runs.Length - 1; r >= 0 && _runs[r].Start >= stop; r--)
            {
                var (i, count) = _runs[r];
                g = (count, _layers[i]) switch
                {
                    (1, var layer) => layer.Backward(g),
                    (_, Dense dense) => dense.BackwardThrough((Activation)_layers[i + 1], g),
                    (_, Conv2D conv) => conv.BackwardThrough((ReLU)_layers[i + 1], count == 3 ? (MaxPool2D)_layers[i + 2] : null, g),
                    _ => throw new InvalidOperationException("unreachable: an unknown fused run"),
                };
            }
            return inputGradient ? g : null;
        }
        finally
        {
            if (lowest is not null) lowest.InputGradientRequired = saved;
        }
    }

    /// <summary>The layers' specs in order: with the input shape, all a model file needs to rebuild the architecture.</summary>
    public IReadOnlyList<LayerSpec> Specs => _layers.Select(l => l.Spec).ToArray();

    /// <summary>An unbuilt model whose layers are created from <paramref name="specs"/> by <see cref="LayerFactory.Create"/>.</summary>
    public static Sequential FromSpecs(IEnumerable<LayerSpec> specs) => new(specs.Select(LayerFactory.Create).ToArray());

    /// <summary>
    /// A table of layers (their specs), per-sample output shapes and parameter counts, then the totals.
    /// Before <see cref="Build(int[], Rng)"/> the shapes are unknown and shown as "?".
    /// </summary>
    public override string Summary()
    {
        var rows = new List<(string Index, string Layer, string Shape, string Count)>
        {
            ("", "Input", IsBuilt ? Tensor.FormatShape(InputShape) : "?", ""),
        };
        int[] shape = InputShape;
        for (int i = 0; i < _layers.Count; i++)
        {
            string shapeText = "?";
            if (IsBuilt)
            {
                shape = _layers[i].OutputShape(shape);
                shapeText = Tensor.FormatShape(shape);
            }
            rows.Add((i.ToString(CultureInfo.InvariantCulture), _layers[i].Spec.ToString(), shapeText,
                _layers[i].ParameterCount.ToString("N0", CultureInfo.InvariantCulture)));
        }
        int w0 = Math.Max(1, rows.Max(r => r.Index.Length));
        int w1 = Math.Max(5, rows.Max(r => r.Layer.Length));
        int w2 = Math.Max(12, rows.Max(r => r.Shape.Length));
        int w3 = Math.Max(10, rows.Max(r => r.Count.Length));
        int width = w0 + w1 + w2 + w3 + 6;
        var sb = new StringBuilder();
        sb.AppendLine($"{"#".PadRight(w0)}  {"Layer".PadRight(w1)}  {"Output shape".PadRight(w2)}  {"Parameters".PadLeft(w3)}");
        sb.AppendLine(new string('-', width));
        foreach (var r in rows)
            sb.AppendLine($"{r.Index.PadRight(w0)}  {r.Layer.PadRight(w1)}  {r.Shape.PadRight(w2)}  {r.Count.PadLeft(w3)}".TrimEnd());
        sb.AppendLine(new string('-', width));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Trainable parameters: {ParameterCount:N0}"));
        long buffers = BufferCount;
        if (buffers > 0) sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Non-trainable values (buffers): {buffers:N0}"));
        return sb.ToString();
    }

    private void RequireBuilt()
    {
        if (!IsBuilt) throw new InvalidOperationException("The model is not built: call Build(inputShape, seed) first.");
    }
}
