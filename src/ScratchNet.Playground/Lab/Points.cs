using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Playground.Lab;

/// <summary>
/// The page's points: (x1, x2) and a class (or a value, for regression), split into training and test
/// points, and the network's inputs made from them (<see cref="FeatureMap"/>).
/// </summary>
public sealed class Points
{
    public required float[] X1 { get; init; }
    public required float[] X2 { get; init; }
    public required float[] Label { get; init; }
    public required bool[] IsTest { get; init; }

    /// <summary>Classes (0 for regression).</summary>
    public int ClassCount { get; init; }

    /// <summary>The half-width of the square shown: points lie in [-Extent, Extent]².</summary>
    public float Extent { get; init; } = 1.5f;

    /// <summary>Where the points came from (for the model file's metadata).</summary>
    public string Source { get; init; } = "";

    public int Count => X1.Length;

    /// <summary>
    /// The points of <paramref name="s"/>: a classification set of the library (<see cref="SyntheticData.Generate"/>),
    /// a regression set, the drawn points, or <paramref name="csv"/>; then split by the seed into
    /// training and test points.
    /// </summary>
    public static Points Make(Settings s, Points? csv)
    {
        if (s.Data == "csv")
            return csv ?? throw new InvalidOperationException("Upload or paste a CSV file first.");
        var rng = new Rng(s.Seed);
        float[] x1, x2, label;
        int classes;
        float extent;
        if (s.Data == "drawn")
        {
            x1 = s.Drawn.Select(p => p.X1).ToArray();
            x2 = s.Drawn.Select(p => p.X2).ToArray();
            label = s.Drawn.Select(p => p.Label).ToArray();
            classes = Math.Max(2, (int)label.DefaultIfEmpty(1).Max() + 1);
            extent = 1f;
        }
        else if (s.IsRegression)
        {
            x1 = new float[s.Count]; x2 = new float[s.Count]; label = new float[s.Count];
            for (int i = 0; i < s.Count; i++)
            {
                float a = rng.NextUniform(-1, 1), b = rng.NextUniform(-1, 1);
                x1[i] = a; x2[i] = b;
                label[i] = RegressionTarget(s.Data, a, b) + (float)(s.Noise * rng.NextGaussian());
            }
            classes = 0;
            extent = 1f;
        }
        else
        {
            int k = s.Data is "spirals" or "gaussians" ? s.Classes : 2;
            var (features, labels) = SyntheticData.Generate(s.Data, s.Count, (float)s.Noise, k, rng);
            x1 = new float[s.Count]; x2 = new float[s.Count];
            for (int i = 0; i < s.Count; i++) { x1[i] = features[i, 0]; x2[i] = features[i, 1]; }
            label = labels.ToArray();
            classes = k;
            extent = s.Data == "gaussians" ? 4f : 1.5f;
        }
        return new Points { X1 = x1, X2 = x2, Label = label, IsTest = Split(x1.Length, s.TrainPercent, rng), ClassCount = classes, Extent = extent, Source = s.Data };
    }

    /// <summary>The regression sets' targets: a plane, and a bump (a Gaussian) in the middle.</summary>
    public static float RegressionTarget(string set, float x1, float x2) => set switch
    {
        "plane" => 0.5f * (x1 + x2),
        _ => MathF.Exp(-(x1 * x1 + x2 * x2) * 2.5f) * 2 - 1,
    };

    /// <summary>Each point's split: a seeded permutation, the first train% in training.</summary>
    public static bool[] Split(int n, int trainPercent, Rng rng)
    {
        var isTest = new bool[n];
        int train = (int)Math.Round(n * trainPercent / 100.0);
        if (n >= 2) train = Math.Clamp(train, 1, n - 1);
        int[] perm = rng.Permutation(n);
        for (int i = train; i < n; i++) isTest[perm[i]] = true;
        return isTest;
    }

    /// <summary>
    /// A CSV file of two numeric features and a label (the first two columns and the last): whole labels
    /// 0 to 4 make a classification set, any other numbers a regression set. The points are rescaled
    /// into [-1, 1]² (one scale for both axes, so shapes keep their proportions).
    /// </summary>
    /// <exception cref="DataFormatException">The text is not such a table (the message gives the line and column).</exception>
    public static Points FromCsv(string text, string name, int trainPercent, ulong seed)
    {
        var table = CsvReader.Parse(text, name);
        if (table.Header.Length < 3) throw new DataFormatException(name, $"has {table.Header.Length} columns; give x1, x2 and a label (3 columns)");
        if (table.Rows.Count < 4) throw new DataFormatException(name, $"has {table.Rows.Count} rows; give at least 4");
        if (table.Rows.Count > Limits.MaxGeneratedSamples) throw new DataFormatException(name, $"has {table.Rows.Count:N0} rows (at most {Limits.MaxGeneratedSamples:N0})");
        int n = table.Rows.Count, last = table.Header.Length - 1;
        float[] x1 = new float[n], x2 = new float[n], label = new float[n];
        for (int i = 0; i < n; i++)
        {
            x1[i] = Cell(table, i, 0);
            x2[i] = Cell(table, i, 1);
            label[i] = Cell(table, i, last);
        }
        bool classes = label.All(v => v == MathF.Round(v) && v >= 0 && v <= 4);
        float scale = Math.Max(x1.Max(v => MathF.Abs(v)), x2.Max(v => MathF.Abs(v)));
        if (scale > 0) for (int i = 0; i < n; i++) { x1[i] /= scale; x2[i] /= scale; }
        return new Points
        {
            X1 = x1, X2 = x2, Label = label, IsTest = Split(n, trainPercent, new Rng(seed)),
            ClassCount = classes ? Math.Max(2, (int)label.Max() + 1) : 0, Extent = 1.1f, Source = name,
        };
    }

    private static float Cell(CsvTable table, int row, int column)
    {
        string cell = table.Rows[row][column];
        if (!CsvReader.TryParseNumber(cell, out float v) || !float.IsFinite(v))
            throw new DataFormatException(table.Path, $"{table.Where(row, column)}: {(cell.Length == 0 ? "empty cell" : $"'{TextExcerpt.Of(cell)}' is not a number")}");
        return v;
    }

    /// <summary>The training (or test) points as a data set of the chosen features.</summary>
    public InMemoryDataset ToDataset(IReadOnlyList<string> features, bool test)
    {
        var rows = Enumerable.Range(0, Count).Where(i => IsTest[i] == test).ToArray();
        var x = FeatureMap.Inputs(features, rows.Select(i => X1[i]).ToArray(), rows.Select(i => X2[i]).ToArray());
        var y = ClassCount > 0 ? new Tensor(rows.Length) : new Tensor(rows.Length, 1);
        for (int r = 0; r < rows.Length; r++) y.Span[r] = Label[rows[r]];
        var names = Enumerable.Range(0, ClassCount).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new InMemoryDataset(test ? "playground/test" : "playground/train", x, y, ClassCount, ClassCount > 0 ? names : null);
    }
}
