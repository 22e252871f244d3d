using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Merging;

/// <summary>
/// Joins inputs along their last axis: inputs of per-sample shapes (…, c₁), …, (…, cₙ), equal in
/// every other axis, give (…, c₁ + … + cₙ); each row of the output is the inputs' rows side by side.
/// The derivative is a selection: dL/dxᵢ is the columns of dL/dy that came from input i.
/// </summary>
public sealed class Concatenate : MergeLayer
{
    private Tensor? _output;
    private Tensor?[] _gradInputs = [];
    private int[] _widths = [];

    /// <inheritdoc/>
    public override int[] OutputShape(IReadOnlyList<int[]> inputShapes)
    {
        RequireAtLeastTwo(inputShapes);
        int[] first = inputShapes[0];
        if (first.Length == 0) throw new ArgumentException("Concatenate joins along the last axis, but input 0 has per-sample shape () with no axis.");
        long width = 0;
        for (int i = 0; i < inputShapes.Count; i++)
        {
            int[] s = inputShapes[i];
            if (s.Length != first.Length || !s.AsSpan(0, s.Length - 1).SequenceEqual(first.AsSpan(0, first.Length - 1)))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Concatenate needs inputs equal in all but the last axis, but input 0 has shape {Tensor.FormatShape(first)} and input {i} has shape {Tensor.FormatShape(s)}."));
            width += s[^1];
        }
        if (width > int.MaxValue) throw new ArgumentException($"Concatenate: the joined axis would have {width:N0} values, more than an axis can hold.");
        int[] shape = (int[])first.Clone();
        shape[^1] = (int)width;
        return shape;
    }

    /// <inheritdoc/>
    public override LayerCost Cost(IReadOnlyList<int[]> inputShapes)
    {
        long outputs = LayerCost.Elements(OutputShape(inputShapes));
        return new LayerCost(0, outputs, outputs);
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        RequireInputs(inputs);
        int n = inputs.Count;
        if (_widths.Length != n) _widths = InputShapes.Select(s => s[^1]).ToArray();
        int total = 0, rows = RowsOf(inputs[0]);
        foreach (int w in _widths) total += w;
        var y = EnsureLike(ref _output, inputs[0], total).Span;
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            int w = _widths[i];
            var x = inputs[i].Span;
            for (int r = 0; r < rows; r++) x.Slice(r * w, w).CopyTo(y.Slice(r * total + offset, w));
            offset += w;
        }
        return _output!;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        int n = _widths.Length, total = gradOutput.Dim(-1), rows = RowsOf(gradOutput);
        if (_gradInputs.Length != n) _gradInputs = new Tensor?[n];
        var g = gradOutput.Span;
        int offset = 0;
        for (int i = 0; i < n; i++)
        {
            int w = _widths[i];
            var d = EnsureLike(ref _gradInputs[i], gradOutput, w).Span;
            for (int r = 0; r < rows; r++) g.Slice(r * total + offset, w).CopyTo(d.Slice(r * w, w));
            offset += w;
        }
        return _gradInputs!;
    }

    /// <summary>
    /// Returns <paramref name="buffer"/> when it has the shape of <paramref name="like"/> with the last
    /// axis <paramref name="last"/>; otherwise a new zero tensor of that shape.
    /// </summary>
    private static Tensor EnsureLike(ref Tensor? buffer, Tensor like, int last)
    {
        var s = like.Shape;
        if (buffer is not null && buffer.Rank == s.Length && buffer.Shape[..^1].SequenceEqual(s[..^1]) && buffer.Dim(-1) == last) return buffer;
        var shape = like.ShapeArray();
        shape[^1] = last;
        buffer = new Tensor(shape);
        return buffer;
    }

    /// <summary>The number of rows along the last axis: the product of every other dimension, batch included.</summary>
    private static int RowsOf(Tensor t)
    {
        long rows = 1;
        var s = t.Shape;
        for (int i = 0; i < s.Length - 1; i++) rows *= s[i];
        return (int)rows;
    }
}
