using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// What the training pipeline needs of a network: build it for an input shape, run a batch forward,
/// back-propagate dL/dy, and list its parameters and its layers (whose tensors a model file holds).
/// <see cref="Sequential"/> (a straight stack) and <see cref="GraphModel"/> (layers applied to symbolic
/// tensors, with branches and merges) are the two kinds.
/// </summary>
/// <remarks>
/// Buffers as for <see cref="Layer"/>: the tensors Forward and Backward return are owned by the model's
/// layers and stay valid until the next call of the same method.
/// </remarks>
public abstract class Model
{
    /// <summary>Whether <see cref="Build(int[], Rng)"/> has run.</summary>
    public abstract bool IsBuilt { get; }

    /// <summary>The per-sample input shape (of the first input, for a graph of several).</summary>
    public abstract int[] InputShape { get; }

    /// <summary>The per-sample output shape (of the first output, for a graph of several).</summary>
    public abstract int[] OutputShape { get; }

    /// <summary>
    /// Builds every layer for per-sample input shape <paramref name="inputShape"/>, initialising
    /// parameters from <paramref name="rng"/> in a fixed layer order.
    /// </summary>
    /// <exception cref="ArgumentException">A layer does not accept its input shape, or the model is over <see cref="Limits.MaxParameters"/>.</exception>
    public abstract Model Build(int[] inputShape, Rng rng);

    /// <summary>Every trainable parameter, in layer order.</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Every layer with the path that names its tensors in model files and checkpoints:
    /// "layers.{i}" in a <see cref="Sequential"/>, "nodes.{name}" in a <see cref="GraphModel"/>. In the
    /// order of <see cref="Parameters"/>.
    /// </summary>
    public abstract IReadOnlyList<(string Path, Layer Layer)> NamedLayers { get; }

    /// <summary>
    /// The terms the model's layers add to the loss for the last forward batch (<see cref="IAddedLoss"/>:
    /// a variational autoencoder's KL term), summed in layer order; 0 when no layer adds one. The
    /// model's loss is L = loss(ŷ, y) + AddedLoss(); the layers' Backward already carries its gradient.
    /// </summary>
    public double AddedLoss()
    {
        double sum = 0;
        foreach (var (_, layer) in NamedLayers)
            if (layer is IAddedLoss added) sum += added.AddedLoss;
        return sum;
    }

    /// <summary>Total trainable scalars.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Value.Length);

    /// <summary>Number of non-trainable scalars kept in layer buffers (BatchNorm running statistics).</summary>
    public long BufferCount => NamedLayers.Sum(l => l.Layer.Buffers.Sum(b => (long)b.Value.Length));

    /// <summary>y = model(x) for a batch (batch, ...<see cref="InputShape"/>).</summary>
    public abstract Tensor Forward(Tensor input, bool training = false);

    /// <summary>Back-propagates dL/dy of the last forward batch; returns dL/dx of the input.</summary>
    public Tensor Backward(Tensor gradOutput) => Backward(gradOutput, inputGradient: true)!;

    /// <summary>
    /// Back-propagates dL/dy, writing every parameter gradient. With <paramref name="inputGradient"/>
    /// false (a training step) the work that only serves dL/dx of the input is skipped and null is
    /// returned; otherwise returns dL/dx.
    /// </summary>
    public abstract Tensor? Backward(Tensor gradOutput, bool inputGradient);

    /// <summary>A table of the model's layers, per-sample output shapes and parameter counts, then the totals.</summary>
    public abstract string Summary();
}
