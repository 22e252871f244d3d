using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors;

/// <summary>
/// A float32 tensor: a contiguous, row-major run of <see cref="Length"/> floats inside a backing
/// array, and a shape. Element (i0, i1, ..., ir) lives at
/// <c>Offset + ((i0 * d1 + i1) * d2 + ...) * dr + ir</c>.
/// </summary>
/// <remarks>
/// Views (<see cref="Reshape"/>, <see cref="SliceRows"/>) share the backing array: writing through a
/// view writes the original. A 1-D tensor of n elements counts as one row of n columns; an N-D tensor
/// counts as <c>shape[0]</c> rows of <c>Length / shape[0]</c> columns (a batch of samples).
/// </remarks>
public sealed class Tensor
{
    private readonly int[] _shape;

    /// <summary>The backing array. It may be longer than <see cref="Length"/>: use <see cref="Span"/>.</summary>
    public float[] Data { get; }

    /// <summary>Index of the first element in <see cref="Data"/>.</summary>
    public int Offset { get; }

    /// <summary>Number of elements: the product of the shape.</summary>
    public int Length { get; }

    /// <summary>The shape; do not modify the returned array.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>Rows when seen as a matrix: <c>shape[0]</c> (1 for a 1-D tensor or a scalar).</summary>
    public int Rows => _shape.Length <= 1 ? 1 : _shape[0];

    /// <summary>Columns when seen as a matrix: <c>Length / Rows</c>.</summary>
    public int Columns => _shape.Length == 0 ? 1 : (_shape.Length == 1 ? _shape[0] : (_shape[0] == 0 ? Product(_shape.AsSpan(1)) : Length / _shape[0]));

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Data, Offset, Length);
    }

    /// <summary>Creates a zero tensor of the given shape.</summary>
    public Tensor(params int[] shape)
    {
        _shape = ValidateShape(shape);
        Length = Product(_shape);
        Data = new float[Length];
        Offset = 0;
    }

    /// <summary>Wraps <paramref name="data"/> (no copy) with the given shape, starting at <paramref name="offset"/>.</summary>
    /// <remarks>The shape is an array, not <c>params</c>, so that <c>new Tensor(data, rows, cols)</c> means a shape, never an offset.</remarks>
    public Tensor(float[] data, int offset, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        _shape = ValidateShape(shape);
        Length = Product(_shape);
        if (offset < 0 || (long)offset + Length > data.Length)
            throw new ArgumentException($"A tensor of shape {FormatShape(_shape)} at offset {offset} does not fit in an array of {data.Length} floats.");
        Data = data;
        Offset = offset;
    }

    /// <summary>Wraps <paramref name="data"/> (no copy) with the given shape.</summary>
    public Tensor(float[] data, params int[] shape) : this(data, 0, shape) { }

    /// <summary>A zero tensor.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A copy of <paramref name="values"/> with the given shape.</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        var t = new Tensor(shape);
        if (values.Length != t.Length)
            throw new ArgumentException($"FromArray: {values.Length} values cannot fill shape {FormatShape(t._shape)} ({t.Length} elements).");
        values.CopyTo(t.Data, 0);
        return t;
    }

    /// <summary>A 2-D tensor copied from a rectangular array.</summary>
    public static Tensor FromRows(float[,] values)
    {
        int r = values.GetLength(0), c = values.GetLength(1);
        var t = new Tensor(r, c);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                t.Data[i * c + j] = values[i, j];
        return t;
    }

    /// <summary>Element of a 1-D view (flat index into <see cref="Span"/>).</summary>
    public ref float this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)i >= (uint)Length) ThrowIndex(i);
            return ref Data[Offset + i];
        }
    }

    /// <summary>Element (row, column) of the matrix view.</summary>
    public ref float this[int row, int column]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            int cols = Columns;
            if ((uint)row >= (uint)Rows || (uint)column >= (uint)cols) ThrowIndex(row, column);
            return ref Data[Offset + row * cols + column];
        }
    }

    /// <summary>
    /// A view with another shape and the same elements. One dimension may be -1 (inferred).
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape {FormatShape(_shape)} -> {FormatShape(shape)}: at most one dimension may be -1.");
                infer = i;
            }
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Length % known != 0)
                throw new ArgumentException($"Reshape {FormatShape(_shape)} -> {FormatShape(shape)}: {Length} elements do not divide into that shape.");
            s[infer] = (int)(Length / known);
        }
        var result = new Tensor(Data, Offset, s, validated: false);
        if (result.Length != Length)
            throw new ArgumentException($"Reshape {FormatShape(_shape)} -> {FormatShape(shape)}: {Length} elements cannot become {result.Length}.");
        return result;
    }

    /// <summary>A view of rows [start, start + count) along the first dimension.</summary>
    public Tensor SliceRows(int start, int count)
    {
        if (Rank == 0) throw new ArgumentException("SliceRows: a scalar has no rows.");
        if (start < 0 || count < 0 || start + count > _shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"SliceRows({start}, {count}) is outside the {_shape[0]} rows of shape {FormatShape(_shape)}.");
        var s = (int[])_shape.Clone();
        s[0] = count;
        int rowLength = _shape[0] == 0 ? 0 : Length / _shape[0];
        return new Tensor(Data, Offset + start * rowLength, s, validated: false);
    }

    /// <summary>The span of one row of the matrix view.</summary>
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), $"Row {row} is outside the {Rows} rows of shape {FormatShape(_shape)}.");
        int cols = Columns;
        return new Span<float>(Data, Offset + row * cols, cols);
    }

    /// <summary>A deep copy with its own backing array.</summary>
    public Tensor Clone()
    {
        var t = new Tensor((int[])_shape.Clone());
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>Copies this tensor's elements into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(Tensor destination)
    {
        ShapeError.RequireSameShape(this, destination, "CopyTo");
        Span.CopyTo(destination.Span);
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>A copy of the elements as a new array.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>A copy of the shape.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>True when both shapes are equal.</summary>
    public bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);

    /// <summary>True when the shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(params int[] shape) => _shape.AsSpan().SequenceEqual(shape);

    /// <summary>The shape written as (a, b, c).</summary>
    public string ShapeString => FormatShape(_shape);

    /// <inheritdoc/>
    public override string ToString() => $"Tensor{FormatShape(_shape)}";

    /// <summary>Writes a shape as (a, b, c).</summary>
    public static string FormatShape(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";

    private Tensor(float[] data, int offset, int[] shape, bool validated)
    {
        _ = validated;
        Data = data;
        Offset = offset;
        _shape = ValidateShape(shape);
        Length = Product(_shape);
    }

    private static int[] ValidateShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long product = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.");
            product *= d;
            if (product > Array.MaxLength) throw new ArgumentException($"Shape {FormatShape(shape)} has more elements than an array can hold.");
        }
        return shape;
    }

    private static int Product(ReadOnlySpan<int> shape)
    {
        int p = 1;
        foreach (int d in shape) p *= d;
        return p;
    }

    private void ThrowIndex(int i) =>
        throw new IndexOutOfRangeException($"Index {i} is outside a tensor of shape {FormatShape(_shape)} ({Length} elements).");

    private void ThrowIndex(int r, int c) =>
        throw new IndexOutOfRangeException($"Index ({r}, {c}) is outside the {Rows} x {Columns} matrix view of shape {FormatShape(_shape)}.");
}
