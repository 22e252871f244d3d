namespace ScratchNet.Data;

/// <summary>
/// How one table column becomes model inputs: a numeric column is one input, its missing cells filled
/// with <see cref="Fill"/> (the training split's mean); a text column is one input per category
/// (one-hot: 1 for the row's category, 0 for the others), its missing cells taken as the training
/// split's most frequent category. A numeric column may be read as log(1 + x) (<see cref="Log1p"/>).
/// </summary>
public sealed record TableColumn
{
    /// <summary>The column's name in the file.</summary>
    public required string Name { get; init; }

    /// <summary>The categories of a text column, sorted ordinally (null for a numeric column).</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>
    /// A numeric column read as log(1 + x) rather than x (a value below 0 is an error, in training and
    /// at prediction); <see cref="Fill"/> is then the mean of the training rows' log(1 + x).
    /// </summary>
    public bool Log1p { get; init; }

    /// <summary>A numeric column's value for a missing cell: the mean of its training values.</summary>
    public float Fill { get; init; }

    /// <summary>A text column's category for a missing cell (index into <see cref="Categories"/>): the most frequent in training, the first in order on a tie.</summary>
    public int FillCategory { get; init; }

    /// <summary>Whether the column holds text categories.</summary>
    public bool IsCategorical => Categories is not null;

    /// <summary>Model inputs the column becomes: 1, or one per category.</summary>
    public int Width => Categories?.Count ?? 1;

    /// <summary>log(1 + x) in double, rounded to float: what a <see cref="Log1p"/> column feeds the model for x ≥ 0.</summary>
    public static float LogOnePlus(float x) => (float)double.LogP1(x);
}
