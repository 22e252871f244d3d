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

    /// <summary>
    /// Reads <paramref name="path"/> as a stream and builds the splits (see <see cref="FromTable"/>):
    /// only the feature values (float32), the target column and each distinct label are kept, never
    /// the file's text.
    /// </summary>
    /// <exception cref="DataFormatException">The file is missing or malformed, a column is missing, a feature cell is not a number, the target is bad, or a limit is passed.</exception>
    public static LoadedData Load(DatasetInfo info, string path, DatasetLoadOptions options)
    {
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
        using var csv = CsvRecordReader.Open(path);
        return Build(csv, info, options);
    }

    /// <summary>
    /// Builds train and test datasets from <paramref name="table"/>: the target is options.Target, else
    /// the dataset's default target, else the last column; features are options.Features, else every
    /// other column (minus ignored ones such as row numbers).
    /// </summary>
    /// <exception cref="DataFormatException">A missing column, a non-number in a feature (file, line, column), a bad target.</exception>
    public static LoadedData FromTable(CsvTable table, DatasetInfo info, DatasetLoadOptions options) =>
        Build(new CsvTableRows(table), info, options);

    private static LoadedData Build(ICsvRows csv, DatasetInfo info, DatasetLoadOptions options)
    {
        string[] header = csv.Header;
        string targetName = options.Target ?? info.DefaultTarget ?? header[^1];
        int target = csv.ColumnIndex(targetName);
        int[] features = options.Features is { Count: > 0 } f
            ? f.Select(csv.ColumnIndex).ToArray()
            : Enumerable.Range(0, header.Length)
                .Where(c => c != target && !info.IgnoredColumns.Contains(header[c], StringComparer.OrdinalIgnoreCase)).ToArray();
        if (features.Contains(target))
            throw new DataFormatException(csv.Source, $"column '{TextExcerpt.Of(header[target])}' cannot be both the target and a feature");
        if (features.Length == 0)
            throw new DataFormatException(csv.Source, $"no feature columns besides the target '{TextExcerpt.Of(header[target])}'");

        int d = features.Length;
        long maxRows = Limits.MaxTableValues / d;
        var x = new ChunkedBuffer<float>(d);
        string? givenTask = options.Task ?? (info.Task == "unknown" ? null : info.Task);
        var y = new TargetColumn(givenTask);
        while (csv.Next())
        {
            if (x.Count >= maxRows)
                throw new DataFormatException(csv.Source, $"line {csv.Line}: the table has more than {maxRows:N0} rows of {d:N0} features, more than the limit of {Limits.MaxTableValues:N0} values");
            var row = x.AddRow();
            for (int j = 0; j < d; j++)
            {
                var cell = csv.Field(features[j]);
                if (!CsvReader.TryParseNumber(cell, out row[j]))
                    throw new DataFormatException(csv.Source, $"{CsvTable.Where(csv.Line, features[j], header)}: {(cell.Length == 0 ? "empty cell" : $"'{TextExcerpt.Of(cell)}' is not a number")} (features must be numeric)");
            }
            var label = csv.Field(target);
            if (label.Length == 0) throw new DataFormatException(csv.Source, $"{CsvTable.Where(csv.Line, target, header)}: empty target cell");
            y.Add(label, csv.Line);
        }

        var (targets, classNames) = y.Resolve(csv.Source, line => CsvTable.Where(line, target, header));
        bool classification = classNames != null;
        string task = classification ? "classification" : "regression";
        int n = x.Count;
        var (trainRows, testRows) = options.TestFraction > 0
            ? DatasetSplitter.SplitIndices(n, options.TestFraction, options.Seed)
            : (Enumerable.Range(0, n).ToArray(), Array.Empty<int>());
        if (trainRows.Length == 0)
            throw new DataFormatException(csv.Source, $"the file has {n:N0} data row{(n == 1 ? "" : "s")}: a test fraction of {options.TestFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} leaves none for training");
        Tensor Features(int[] rows)
        {
            var t = new Tensor(rows.Length, d);
            for (int i = 0; i < rows.Length; i++) x.Row(rows[i]).CopyTo(t.Span.Slice(i * d, d));
            return t;
        }
        Tensor Targets(int[] rows)
        {
            var t = classification ? new Tensor(rows.Length) : new Tensor(rows.Length, 1);
            var span = t.Span;
            for (int i = 0; i < rows.Length; i++) span[i] = targets(rows[i]);
            return t;
        }
        var trainX = Features(trainRows);
        var testX = Features(testRows);
        var trainY = Targets(trainRows);
        var testY = Targets(testRows);

        Standardizer? standardizer = null;
        if (options.Standardize != StandardizeMode.None)
        {
            standardizer = Standardizer.Fit(trainX, options.Standardize);
            standardizer.Transform(trainX);
            if (testX.Length > 0) standardizer.Transform(testX);
        }
        int classCount = classNames?.Length ?? 0;
        var resolved = info with { Task = task, ClassNames = classNames ?? [], DefaultTarget = header[target] };
        return new LoadedData(
            new InMemoryDataset($"{info.Name}/train", trainX, trainY, classCount, classNames),
            new InMemoryDataset($"{info.Name}/test", testX, testY, classCount, classNames),
            resolved)
        {
            Standardizer = standardizer,
            FeatureNames = features.Select(c => header[c]).ToArray(),
            TargetName = header[target],
        };
    }
}
