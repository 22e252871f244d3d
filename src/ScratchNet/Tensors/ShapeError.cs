namespace ScratchNet.Tensors;

/// <summary>Shape checks whose error names both shapes and the operation.</summary>
public static class ShapeError
{
    /// <summary>Throws unless <paramref name="a"/> and <paramref name="b"/> have the same shape.</summary>
    public static void RequireSameShape(Tensor a, Tensor b, string operation)
    {
        if (!a.SameShape(b))
            throw new ShapeMismatchException(operation, a.ShapeString, b.ShapeString);
    }

    /// <summary>Throws unless <paramref name="a"/> and <paramref name="b"/> have the same number of elements.</summary>
    public static void RequireSameLength(Tensor a, Tensor b, string operation)
    {
        if (a.Length != b.Length)
            throw new ShapeMismatchException(operation, a.ShapeString, b.ShapeString);
    }

    /// <summary>Throws unless <paramref name="t"/> has exactly <paramref name="expected"/> as its shape.</summary>
    public static void RequireShape(Tensor t, string operation, params int[] expected)
    {
        if (!t.HasShape(expected))
            throw new ShapeMismatchException(operation, t.ShapeString, Tensor.FormatShape(expected));
    }
}

/// <summary>Thrown when the shapes given to an operation do not fit together.</summary>
public sealed class ShapeMismatchException(string operation, string left, string right)
    : ArgumentException($"{operation}: shapes {left} and {right} do not match.")
{
    /// <summary>The operation that was refused.</summary>
    public string Operation { get; } = operation;
}
