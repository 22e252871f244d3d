using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Turns a CSV table into datasets: numeric feature columns, one target column chosen by name
/// (numbers for regression; text or integer labels for classification), a seeded train/test split
/// and optional scaling fitted on the training split.
/// </summary>
public static class TableData
{
    /// <summary>A target with at most this many distinct integer values is taken as class labels (when the task is not given).</summary>
    public const int MaxAutoClasses = 20;

    /// <summary>Reads <paramref name="path"/> and builds the splits (see <see cref="FromTable"/>).</summary>
    public static LoadedData Load(DatasetInfo info, string path, DatasetLoadOptions options)
    {
        var table = CsvReader.Read(path);
        if (info.Kind == DatasetKind.Table)
        {
            string? expected = info.Files.Count > 0 ? info.Files[0].Sha256 : null;
            if (expected != null)
            {
                string actual = DatasetManager.HashDecompressed(path);
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                    throw new DataFormatException(path, DatasetManager.HashMismatch(info.Files[0], actual));
            }
        }
        return FromTable(table, info, options);
    }

    /// <summary>
    /// Builds train and test datasets from <paramref name="table"/>: the target is options.Target, else
    /// the dataset's default target, else the last column; features are options.Features, else every
    /// other column (minus ignored ones such as row numbers).
    /// </summary>
    /// <exception cref="DataFormatException">A missing column, a non-number in a feature (file, line, column), a bad target.</exception>
    public static LoadedData FromTable(CsvTable table, DatasetInfo info, DatasetLoadOptions options)
    {
        string targetName = options.Target ?? info.DefaultTarget ?? table.Header[^1];
        int target = table.ColumnIndex(targetName);
        int[] features = options.Features is { Count: > 0 } f
            ? f.Select(table.ColumnIndex).ToArray()
            : Enumerable.Range(0, table.Header.Length)
                .Where(c => c != target && !info.IgnoredColumns.Contains(table.Header[c], StringComparer.OrdinalIgnoreCase)).ToArray();
        if (features.Contains(target))
            throw new DataFormatException(table.Path, $"column '{table.Header[target]}' cannot be both the target and a feature");
        if (features.Length == 0)
            throw new DataFormatException(table.Path, $"no feature columns besides the target '{table.Header[target]}'");

        int n = table.Rows.Count, d = features.Length;
        var x = new float[n * d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++)
            {
                string cell = table.Rows[r][features[j]];
                if (!CsvReader.TryParseNumber(cell, out float v))
                    throw new DataFormatException(table.Path, $"{table.Where(r, features[j])}: {(cell.Length == 0 ? "empty cell" : $"'{cell}' is not a number")} (features must be numeric)");
                x[r * d + j] = v;
            }

        var (y, classNames) = ReadTarget(table, target, options.Task ?? (info.Task == "unknown" ? null : info.Task));
        bool classification = classNames != null;
        string task = classification ? "classification" : "regression";

        var (trainRows, testRows) = options.TestFraction > 0
            ? DatasetSplitter.SplitIndices(n, options.TestFraction, options.Seed)
            : (Enumerable.Range(0, n).ToArray(), Array.Empty<int>());
        Tensor Gather(float[] src, int width, int[] rows)
        {
            var t = width == 1 && classification ? new Tensor(rows.Length) : new Tensor(rows.Length, width);
            for (int i = 0; i < rows.Length; i++) src.AsSpan(rows[i] * width, width).CopyTo(t.Span.Slice(i * width, width));
            return t;
        }
        var trainX = Gather(x, d, trainRows);
        var testX = Gather(x, d, testRows);
        var trainY = classification ? Gather(y, 1, trainRows) : Gather(y, 1, trainRows);
        var testY = Gather(y, 1, testRows);

        Standardizer? standardizer = null;
        if (options.Standardize != StandardizeMode.None)
        {
            standardizer = Standardizer.Fit(trainX, options.Standardize);
            standardizer.Transform(trainX);
            if (testX.Length > 0) standardizer.Transform(testX);
        }
        int classCount = classNames?.Length ?? 0;
        var resolved = info with { Task = task, ClassNames = classNames ?? [], DefaultTarget = table.Header[target] };
        return new LoadedData(
            new InMemoryDataset($"{info.Name}/train", trainX, trainY, classCount, classNames),
            new InMemoryDataset($"{info.Name}/test", testX, testY, classCount, classNames),
            resolved)
        {
            Standardizer = standardizer,
            FeatureNames = features.Select(c => table.Header[c]).ToArray(),
            TargetName = table.Header[target],
        };
    }

    /// <summary>
    /// The target as floats: values for regression, class indices for classification (classes =
    /// sorted distinct labels, numerically when they are integers, else ordinally as text).
    /// </summary>
    private static (float[] Values, string[]? ClassNames) ReadTarget(CsvTable table, int column, string? task)
    {
        int n = table.Rows.Count;
        var cells = table.Rows.Select(r => r[column]).ToArray();
        for (int r = 0; r < n; r++)
            if (cells[r].Length == 0) throw new DataFormatException(table.Path, $"{table.Where(r, column)}: empty target cell");
        bool allNumbers = true;
        var values = new float[n];
        for (int r = 0; r < n && allNumbers; r++) allNumbers = CsvReader.TryParseNumber(cells[r], out values[r]);
        bool allIntegers = allNumbers && values.All(v => v == MathF.Round(v));
        if (task == null)
            task = !allNumbers || (allIntegers && values.Distinct().Count() <= MaxAutoClasses) ? "classification" : "regression";

        if (task == "regression")
        {
            if (!allNumbers)
            {
                int bad = Array.FindIndex(cells, c => !CsvReader.TryParseNumber(c, out _));
                throw new DataFormatException(table.Path, $"{table.Where(bad, column)}: '{cells[bad]}' is not a number (a regression target must be numeric)");
            }
            return (values, null);
        }
        if (task != "classification") throw new DataFormatException(table.Path, $"unknown task '{task}' (use classification or regression)");

        string[] names = allIntegers
            ? values.Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()
            : cells.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>();
        for (int k = 0; k < names.Length; k++) index[names[k]] = k;
        var y = new float[n];
        for (int r = 0; r < n; r++)
            y[r] = index[allIntegers ? values[r].ToString(CultureInfo.InvariantCulture) : cells[r]];
        return (y, names);
    }
}
