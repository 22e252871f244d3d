using System.Text;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// Layers applied one after another: y = f_n(...f_2(f_1(x))). Backward runs them in reverse,
/// passing dL/dx of each layer on as dL/dy of the one before (the chain rule).
/// </summary>
public sealed class Sequential
{
    private readonly List<Layer> _layers = [];
    private Parameter[] _parameters = [];

    /// <summary>A model of these layers, not yet built.</summary>
    public Sequential(params Layer[] layers) => _layers.AddRange(layers);

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The per-sample input shape given to <see cref="Build(int[], Rng)"/>.</summary>
    public int[] InputShape { get; private set; } = [];

    /// <summary>The per-sample output shape.</summary>
    public int[] OutputShape { get; private set; } = [];

    /// <summary>Whether <see cref="Build(int[], Rng)"/> has run.</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>Appends a layer (before <see cref="Build(int[], Rng)"/>).</summary>
    public Sequential Add(Layer layer)
    {
        if (IsBuilt) throw new InvalidOperationException("Cannot add a layer to a model that is already built.");
        _layers.Add(layer);
        return this;
    }

    /// <summary>
    /// Fixes the per-sample input shape and builds every layer, initialising parameters from
    /// <paramref name="rng"/> in layer order.
    /// </summary>
    public Sequential Build(int[] inputShape, Rng rng)
    {
        InputShape = (int[])inputShape.Clone();
        int[] shape = InputShape;
        foreach (var layer in _layers)
        {
            layer.Build(shape, rng);
            shape = layer.OutputShape(shape);
        }
        OutputShape = shape;
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        IsBuilt = true;
        return this;
    }

    /// <summary>Builds with a generator seeded by <paramref name="seed"/>.</summary>
    public Sequential Build(int[] inputShape, ulong seed) => Build(inputShape, new Rng(seed));

    /// <summary>Every trainable parameter, in layer order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Total trainable scalars.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Value.Length);

    /// <summary>Runs the batch through every layer. The result is owned by the last layer (see <see cref="Layer"/>).</summary>
    public Tensor Forward(Tensor input, bool training = false)
    {
        RequireBuilt();
        Tensor x = input;
        foreach (var layer in _layers) x = layer.Forward(x, training);
        return x;
    }

    /// <summary>Back-propagates dL/dy through every layer (reverse order); returns dL/dx of the input.</summary>
    public Tensor Backward(Tensor gradOutput)
    {
        RequireBuilt();
        Tensor g = gradOutput;
        for (int i = _layers.Count - 1; i >= 0; i--) g = _layers[i].Backward(g);
        return g;
    }

    /// <summary>A table of layers, output shapes and parameter counts.</summary>
    public string Summary()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"#",-3} {"Layer",-36} {"Output shape",-18} {"Parameters",12}");
        sb.AppendLine(new string('-', 72));
        sb.AppendLine($"{"",-3} {"Input",-36} {Tensor.FormatShape(InputShape),-18} {"",12}");
        int[] shape = InputShape;
        for (int i = 0; i < _layers.Count; i++)
        {
            shape = _layers[i].OutputShape(shape);
            sb.AppendLine($"{i,-3} {_layers[i].Spec,-36} {Tensor.FormatShape(shape),-18} {_layers[i].ParameterCount,12:N0}");
        }
        sb.AppendLine(new string('-', 72));
        sb.AppendLine($"Total trainable parameters: {ParameterCount:N0}");
        return sb.ToString();
    }

    private void RequireBuilt()
    {
        if (!IsBuilt) throw new InvalidOperationException("The model is not built: call Build(inputShape, seed) first.");
    }
}
