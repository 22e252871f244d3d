namespace ScratchNet.Data;

/// <summary>
/// How one table column becomes model inputs: a numeric column is one input, its missing cells filled
/// with <see cref="Fill"/> (the training split's mean); a text column is one input per category
/// (one-hot: 1 for the row's category, 0 for the others), its missing cells taken as the training
/// split's most frequent category.
/// </summary>
public sealed record TableColumn
{
    /// <summary>The column's name in the file.</summary>
    public required string Name { get; init; }

    /// <summary>The categories of a text column, sorted ordinally (null for a numeric column).</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>A numeric column's value for a missing cell: the mean of its training values.</summary>
    public float Fill { get; init; }

    /// <summary>A text column's category for a missing cell (index into <see cref="Categories"/>): the most frequent in training, the first in order on a tie.</summary>
    public int FillCategory { get; init; }

    /// <summary>Whether the column holds text categories.</summary>
    public bool IsCategorical => Categories is not null;

    /// <summary>Model inputs the column becomes: 1, or one per category.</summary>
    public int Width => Categories?.Count ?? 1;
}
