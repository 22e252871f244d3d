using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Merging;

/// <summary>
/// A stage of a graph model that combines several tensors into one: y = f(x₁, …, xₙ), each xᵢ a batch
/// (batch, ...sampleShapeᵢ). Backward returns dL/dxᵢ for every input from dL/dy.
/// </summary>
/// <remarks>
/// Buffers as for <see cref="Layer"/>: the tensors Forward and Backward return are owned by the merge and
/// stay valid until its next call of the same method; a gradient may also be dL/dy itself when the
/// local derivative is the identity (<see cref="Add"/>), so callers only read them. A merge has no
/// parameters.
/// </remarks>
public abstract class MergeLayer
{
    /// <summary>The type names of the merges, as in model files.</summary>
    public static readonly IReadOnlyList<string> TypeNames = Array.AsReadOnly(new[] { "Add", "Concatenate", "Multiply" });

    /// <summary>The merge's type name as used in model files and summaries ("Add").</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>The settings that rebuild this merge (with <see cref="Create"/>).</summary>
    public virtual LayerSpec Spec => new(TypeName);

    /// <summary>Whether <see cref="Build"/> has run.</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>The per-sample shapes of the inputs given to <see cref="Build"/>.</summary>
    public IReadOnlyList<int[]> InputShapes { get; private set; } = [];

    /// <summary>Fixes the per-sample input shapes (checked by <see cref="OutputShape"/>).</summary>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public void Build(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        OutputShape(inputShapes);
        InputShapes = inputShapes.Select(s => (int[])s.Clone()).ToArray();
        IsBuilt = true;
    }

    /// <summary>The per-sample output shape for these per-sample input shapes.</summary>
    /// <exception cref="ArgumentException">Fewer than two inputs, or shapes that do not fit together; the message names the inputs by position.</exception>
    public abstract int[] OutputShape(IReadOnlyList<int[]> inputShapes);

    /// <summary>
    /// What the merge produces and computes per sample (see <see cref="LayerCost"/>): no stored values,
    /// its output, and one operation per output value and input.
    /// </summary>
    public virtual LayerCost Cost(IReadOnlyList<int[]> inputShapes)
    {
        long outputs = LayerCost.Elements(OutputShape(inputShapes));
        return new LayerCost(0, outputs, LayerCost.Times(outputs, inputShapes.Count));
    }

    /// <summary>y = f(x₁, …, xₙ) for a batch; the merge keeps what <see cref="Backward"/> needs.</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>Given dL/dy for the last <see cref="Forward"/> batch, dL/dxᵢ for every input, in input order.</summary>
    public abstract IReadOnlyList<Tensor> Backward(Tensor gradOutput);

    /// <inheritdoc/>
    public override string ToString() => Spec.ToString();

    /// <summary>An unbuilt merge of the type of <paramref name="spec"/>.</summary>
    /// <exception cref="FormatException">The type is not a merge.</exception>
    public static MergeLayer Create(LayerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Type switch
        {
            "Add" => new Add(),
            "Concatenate" => new Concatenate(),
            "Multiply" => new Multiply(),
            _ => throw new FormatException($"'{TextExcerpt.Of(spec.Type)}' is not a merge (known: {string.Join(", ", TypeNames)})."),
        };
    }

    /// <summary>Refuses fewer than two inputs and inputs of different shapes (for element-wise merges).</summary>
    protected int[] RequireSameShapes(IReadOnlyList<int[]> inputShapes)
    {
        RequireAtLeastTwo(inputShapes);
        for (int i = 1; i < inputShapes.Count; i++)
            if (!inputShapes[i].AsSpan().SequenceEqual(inputShapes[0]))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{TypeName} needs inputs of one shape, but input 0 has shape {Tensor.FormatShape(inputShapes[0])} and input {i} has shape {Tensor.FormatShape(inputShapes[i])}."));
        return (int[])inputShapes[0].Clone();
    }

    /// <summary>Refuses fewer than two inputs.</summary>
    protected void RequireAtLeastTwo(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count < 2) throw new ArgumentException($"{TypeName} merges at least two inputs (got {inputShapes.Count}).");
    }

    /// <summary>
    /// Checks a forward batch: built, one tensor per input, each (batch, ...InputShapes[i]) with one
    /// batch size. Does not allocate.
    /// </summary>
    protected void RequireInputs(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!IsBuilt) throw new InvalidOperationException($"{this}: Forward called before Build.");
        if (inputs.Count != InputShapes.Count)
            throw new ArgumentException($"{this}: got {inputs.Count} inputs, built for {InputShapes.Count}.");
        for (int i = 0; i < inputs.Count; i++)
        {
            var s = inputs[i].Shape;
            if (s.Length != InputShapes[i].Length + 1 || !s[1..].SequenceEqual(InputShapes[i]) || s[0] != inputs[0].Dim(0))
                throw new ShapeMismatchException($"{this} input {i}", inputs[i].ShapeString,
                    "(" + string.Join(", ", new[] { inputs[0].Dim(0) }.Concat(InputShapes[i])) + ")");
        }
    }

    /// <summary>Checks that <paramref name="gradOutput"/> has the shape of the last output (null before Forward).</summary>
    protected void RequireGradOutput(Tensor gradOutput, Tensor? output)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (output is null) throw new InvalidOperationException($"{this}: Backward called before Forward.");
        if (!gradOutput.SameShape(output))
            throw new ShapeMismatchException($"{this} gradOutput vs. last output", gradOutput.ShapeString, output.ShapeString);
    }

    /// <summary>Returns <paramref name="buffer"/> when it has the shape of <paramref name="like"/>; otherwise a new zero tensor of that shape.</summary>
    protected static Tensor EnsureBufferLike(ref Tensor? buffer, Tensor like)
    {
        if (buffer is not null && buffer.SameShape(like)) return buffer;
        buffer = new Tensor(like.ShapeArray());
        return buffer;
    }
}
