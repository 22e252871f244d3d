using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// One stage of a network. Tensors carry the batch on their first dimension: an input of shape
/// (batch, ...sampleShape) gives an output of shape (batch, ...<see cref="OutputShape"/>).
/// </summary>
/// <remarks>
/// Buffers: <see cref="Forward"/> and <see cref="Backward"/> return tensors the layer owns and reuses;
/// they stay valid until the next call of the same method (copy them to keep them). Reallocation only
/// happens when the batch size changes, so a repeating training step does not allocate.
/// </remarks>
public abstract class Layer
{
    /// <summary>The layer's type name as used in model files and summaries ("Dense", "ReLU").</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>Whether <see cref="Build"/> has run.</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>The per-sample input shape given to <see cref="Build"/> (no batch dimension).</summary>
    public int[] InputShape { get; private set; } = [];

    /// <summary>
    /// Fixes the per-sample input shape, allocates the parameters and initialises them from
    /// <paramref name="rng"/>. Called once by <c>Sequential.Build</c>.
    /// </summary>
    public void Build(int[] inputShape, Rng rng)
    {
        InputShape = (int[])inputShape.Clone();
        OnBuild(InputShape, rng);
        IsBuilt = true;
    }

    /// <summary>Allocates and initialises parameters for this per-sample input shape.</summary>
    protected virtual void OnBuild(int[] inputShape, Rng rng) { }

    /// <summary>The per-sample output shape for a per-sample input shape.</summary>
    public abstract int[] OutputShape(int[] inputShape);

    /// <summary>
    /// What building this layer for <paramref name="inputShape"/> will allocate (parameters and buffers)
    /// and what its forward pass produces and computes per sample, from the settings alone: nothing is
    /// allocated. <c>Sequential.Build</c> and the model-file reader check these counts before building.
    /// The default suits a layer without parameters whose work is one operation per output value; a
    /// layer with parameters or heavier work overrides it.
    /// </summary>
    /// <exception cref="ArgumentException">The layer does not accept <paramref name="inputShape"/>.</exception>
    public virtual LayerCost Cost(int[] inputShape)
    {
        long outputs = LayerCost.Elements(OutputShape(inputShape));
        return new LayerCost(0, outputs, outputs);
    }

    /// <summary>
    /// y = f(x) for a batch. <paramref name="training"/> selects training behaviour (dropout active,
    /// batch statistics); the layer keeps what <see cref="Backward"/> will need.
    /// </summary>
    public abstract Tensor Forward(Tensor input, bool training);

    /// <summary>
    /// Given dL/dy for the last <see cref="Forward"/> batch, writes dL/dθ into each parameter's
    /// <see cref="Parameter.Gradient"/> (overwriting) and returns dL/dx.
    /// </summary>
    public abstract Tensor Backward(Tensor gradOutput);

    /// <summary>
    /// Whether <see cref="Backward"/> must compute dL/dx (default true). <c>Sequential.Backward(g, inputGradient: false)</c>
    /// clears it on the first layer during a training step, where nobody reads the input gradient: Dense then
    /// skips its dY Wᵀ product, a third of its backward work. When false, Backward still writes every
    /// parameter gradient, but the tensor it returns holds unspecified values.
    /// </summary>
    public bool InputGradientRequired { get; set; } = true;

    /// <summary>The trainable parameters (empty for parameter-free layers).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>
    /// Non-trainable state that a model file must keep (BatchNorm running mean and variance), by name.
    /// </summary>
    public virtual IReadOnlyList<(string Name, Tensor Value)> Buffers => [];

    /// <summary>The settings that rebuild this layer (with <c>LayerFactory.Create</c>).</summary>
    public abstract LayerSpec Spec { get; }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Value.Length);

    /// <inheritdoc/>
    public override string ToString() => Spec.ToString();

    /// <summary>
    /// Checks that <paramref name="input"/> is a batch of samples of <see cref="InputShape"/>:
    /// shape (batch, ...InputShape). The error names the layer and both shapes. Does not allocate.
    /// </summary>
    protected void RequireInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsBuilt)
            throw new InvalidOperationException($"{this}: Forward called before Build; build the model (Sequential.Build) first.");
        if (!IsBatchOf(input, InputShape))
            throw new ShapeMismatchException($"{this} input", input.ShapeString, BatchShapeString(InputShape));
    }

    /// <summary>
    /// Checks that <paramref name="gradOutput"/> has the shape of the last forward output
    /// <paramref name="output"/> (null when Forward has not run).
    /// </summary>
    protected void RequireGradOutput(Tensor gradOutput, Tensor? output)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (output is null)
            throw new InvalidOperationException($"{this}: Backward called before Forward.");
        if (!gradOutput.SameShape(output))
            throw new ShapeMismatchException($"{this} gradOutput vs. last output", gradOutput.ShapeString, output.ShapeString);
    }

    /// <summary>
    /// Returns <paramref name="buffer"/> when it already has shape (batch, ...sampleShape); otherwise
    /// replaces it with a new zero tensor of that shape. This is how layers reuse their buffers.
    /// </summary>
    protected static Tensor EnsureBuffer(ref Tensor? buffer, int batch, ReadOnlySpan<int> sampleShape)
    {
        if (buffer is not null && IsBatchOf(buffer, sampleShape) && buffer.Dim(0) == batch) return buffer;
        var shape = new int[sampleShape.Length + 1];
        shape[0] = batch;
        sampleShape.CopyTo(shape.AsSpan(1));
        buffer = new Tensor(shape);
        return buffer;
    }

    /// <summary>Returns <paramref name="buffer"/> when it has the shape of <paramref name="like"/>; otherwise a new zero tensor of that shape.</summary>
    protected static Tensor EnsureBufferLike(ref Tensor? buffer, Tensor like)
    {
        if (buffer is not null && buffer.SameShape(like)) return buffer;
        buffer = new Tensor(like.ShapeArray());
        return buffer;
    }

    /// <summary>Whether <paramref name="t"/> has shape (anything, ...sampleShape).</summary>
    protected static bool IsBatchOf(Tensor t, ReadOnlySpan<int> sampleShape)
    {
        var s = t.Shape;
        return s.Length == sampleShape.Length + 1 && s[1..].SequenceEqual(sampleShape);
    }

    /// <summary>"(batch, 28, 28)" for a per-sample shape (28, 28).</summary>
    protected static string BatchShapeString(ReadOnlySpan<int> sampleShape) =>
        sampleShape.Length == 0 ? "(batch)" : "(batch, " + string.Join(", ", sampleShape.ToArray()) + ")";
}
