using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Turns a CSV table into datasets: numeric feature columns, one target column chosen by name
/// (numbers for regression; text or integer labels for classification), numeric and text feature
/// columns encoded by a <see cref="TableEncoding"/> (one-hot categories, missing cells filled), a
/// seeded train/test split and optional scaling, all fitted on the training split.
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
        var given = options.Encoding;
        int[] features = given is not null ? given.ColumnIndices(csv)
            : options.Features is { Count: > 0 } f
            ? f.Select(csv.ColumnIndex).ToArray()
            : Enumerable.Range(0, header.Length)
                .Where(c => c != target && !info.IgnoredColumns.Contains(header[c], StringComparer.OrdinalIgnoreCase)).ToArray();
        if (features.Contains(target))
            throw new DataFormatException(csv.Source, $"column '{TextExcerpt.Of(header[target])}' cannot be both the target and a feature");
        if (features.Length == 0)
            throw new DataFormatException(csv.Source, $"no feature columns besides the target '{TextExcerpt.Of(header[target])}'");
        if (features.Distinct().Count() != features.Length)
            throw new DataFormatException(csv.Source, $"column '{TextExcerpt.Of(header[features.GroupBy(c => c).First(g => g.Count() > 1).Key])}' is named twice among the features");

        // Fitting, each cell is kept as one float: a number, a text column's category code, or NaN when missing.
        int d = given?.Width ?? features.Length;
        long maxRows = Limits.MaxTableValues / d;
        var x = new ChunkedBuffer<float>(d);
        var logged = options.LogFeatures ?? [];
        if (given is null)
            foreach (string name in logged)
                if (!features.Any(c => header[c] == name))
                    throw new DataFormatException(csv.Source, $"the log feature '{TextExcerpt.Of(name)}' is not one of the feature columns");
        var columns = given is null ? features.Select(c => new RawColumn { Log1p = logged.Contains(header[c], StringComparer.Ordinal) }).ToArray() : [];
        string? givenTask = options.Task ?? (info.Task == "unknown" ? null : info.Task);
        var y = new TargetColumn(givenTask);
        int categoryCount = 0;
        while (csv.Next())
        {
            if (x.Count >= maxRows)
                throw new DataFormatException(csv.Source, $"line {csv.Line}: the table has more than {maxRows:N0} rows of {d:N0} {(given is null ? "features" : "inputs")}, more than the limit of {Limits.MaxTableValues:N0} values");
            var row = x.AddRow();
            if (given is not null) given.EncodeRow(csv, features, row);
            else
                for (int j = 0; j < d; j++)
                    row[j] = columns[j].Add(csv.Field(features[j]), csv.Line, csv.Source, features[j], header, ref categoryCount);
            var label = csv.Field(target);
            if (label.Length == 0) throw new DataFormatException(csv.Source, $"{CsvTable.Where(csv.Line, target, header)}: empty target cell");
            y.Add(label, csv.Line);
        }

        var (targets, classNames) = y.Resolve(csv.Source, line => CsvTable.Where(line, target, header));
        bool classification = classNames != null;
        string task = classification ? "classification" : "regression";
        int n = x.Count;
        if (options.Fold is { } fold && fold.Count > n)
            throw new DataFormatException(csv.Source, $"the file has {n:N0} data row{(n == 1 ? "" : "s")}: too few for {fold.Count} folds");
        var (trainRows, testRows) = options.Fold is { } cvFold
            ? DatasetSplitter.FoldIndices(n, cvFold, options.Seed, classification ? Enumerable.Range(0, n).Select(i => (int)targets(i)).ToArray() : null)
            : options.TestFraction > 0
            ? DatasetSplitter.SplitIndices(n, options.TestFraction, options.Seed)
            : (Enumerable.Range(0, n).ToArray(), Array.Empty<int>());
        if (trainRows.Length == 0)
            throw new DataFormatException(csv.Source, $"the file has {n:N0} data row{(n == 1 ? "" : "s")}: a test fraction of {options.TestFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} leaves none for training");

        TableEncoding encoding;
        if (given is not null) encoding = given;
        else
        {
            var fitted = new TableColumn[d];
            for (int j = 0; j < d; j++) fitted[j] = columns[j].Fit(header[features[j]], x, j, trainRows, csv.Source);
            TargetScaling? scaling = null;
            if (!classification && options.StandardizeTarget)
            {
                var values = new float[trainRows.Length];
                for (int i = 0; i < values.Length; i++) values[i] = targets(trainRows[i]);
                scaling = TargetScaling.Fit(values);
            }
            encoding = new TableEncoding(fitted, scaling);
            if ((long)n * encoding.Width > Limits.MaxTableValues)
                throw new DataFormatException(csv.Source, $"{n:N0} rows of {encoding.Width:N0} inputs (the text columns one-hot) are more than the limit of {Limits.MaxTableValues:N0} values");
        }
        int width = encoding.Width;
        Tensor Features(int[] rows)
        {
            var t = new Tensor(rows.Length, width);
            var span = t.Span;
            for (int i = 0; i < rows.Length; i++)
            {
                var source = x.Row(rows[i]);
                var dest = span.Slice(i * width, width);
                if (given is not null) { source.CopyTo(dest); continue; }
                int at = 0;
                for (int j = 0; j < d; j++)
                {
                    var c = encoding.Columns[j];
                    float v = source[j];
                    if (c.Categories is null) dest[at++] = float.IsNaN(v) ? c.Fill : v;
                    else
                    {
                        dest[at + (float.IsNaN(v) ? c.FillCategory : columns[j].Rank((int)v))] = 1;
                        at += c.Categories.Count;
                    }
                }
            }
            return t;
        }
        Tensor Targets(int[] rows)
        {
            var t = classification ? new Tensor(rows.Length) : new Tensor(rows.Length, 1);
            var span = t.Span;
            for (int i = 0; i < rows.Length; i++) span[i] = targets(rows[i]);
            if (!classification) encoding.Target?.Apply(span);
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
            Encoding = encoding,
            FeatureNames = features.Select(c => header[c]).ToArray(),
            TargetName = header[target],
            TestRows = testRows,
        };
    }

    /// <summary>
    /// One feature column while the file streams by: numeric or text (decided by its first cell that is
    /// not missing; the two never mix), and a text column's distinct values in order of appearance.
    /// </summary>
    private sealed class RawColumn
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];
        private bool? _text;
        private (int Line, string Excerpt) _first;
        private int[] _rank = [];

        /// <summary>Numbers read as log(1 + x) (<see cref="TableColumn.Log1p"/>).</summary>
        public bool Log1p { get; init; }

        /// <summary>The float kept for <paramref name="cell"/>: its value, its category code, or NaN when missing.</summary>
        public float Add(ReadOnlySpan<char> cell, int line, string source, int column, string[] header, ref int categoryCount)
        {
            string where() => CsvTable.Where(line, column, header);
            if (TableEncoding.IsMissing(cell)) return float.NaN;
            bool number = CsvReader.TryParseNumber(cell, out float v);
            if (_text is null) { _text = !number; _first = (line, TextExcerpt.Of(cell)); }
            if (_text == false)
            {
                if (number && Log1p)
                {
                    if (v < 0) throw new DataFormatException(source, $"{where()}: {TextExcerpt.Of(cell)} is below 0, and the column is read as log(1 + x) (a log feature)");
                    return TableColumn.LogOnePlus(v);
                }
                if (number) return v;
                throw new DataFormatException(source, $"{where()}: '{TextExcerpt.Of(cell)}' is not a number, but the column starts with numbers ('{_first.Excerpt}' on line {_first.Line}): a feature column holds numbers or text categories, not both");
            }
            if (number)
                throw new DataFormatException(source, $"{where()}: '{TextExcerpt.Of(cell)}' is a number, but the column starts with text ('{_first.Excerpt}' on line {_first.Line}): a feature column holds numbers or text categories, not both");
            if (_codes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(cell, out int code)) return code;
            if (cell.Length > Limits.MaxNameChars)
                throw new DataFormatException(source, $"{where()}: a category of {cell.Length:N0} characters (at most {Limits.MaxNameChars:N0})");
            if (_names.Count == Limits.MaxCategoriesPerColumn)
                throw new DataFormatException(source, $"{where()}: the column has more than {Limits.MaxCategoriesPerColumn:N0} distinct text values (Limits.MaxCategoriesPerColumn): an identifier or free text, not a category; leave it out of the features");
            if (++categoryCount > Limits.MaxCategories)
                throw new DataFormatException(source, $"{where()}: the text columns have more than {Limits.MaxCategories:N0} distinct values in all (Limits.MaxCategories)");
            string name = new(cell);
            _codes.Add(name, _names.Count);
            _names.Add(name);
            return _names.Count - 1;
        }

        /// <summary>A code's place among the sorted categories.</summary>
        public int Rank(int code) => _rank[code];

        /// <summary>
        /// The column's encoding: the categories sorted ordinally, or a numeric column; the fill is the
        /// training rows' mean or most frequent category.
        /// </summary>
        public TableColumn Fit(string name, ChunkedBuffer<float> x, int j, int[] trainRows, string source)
        {
            if (_text is null)
                throw new DataFormatException(source, $"column '{TextExcerpt.Of(name)}' has no value in any row (every cell is empty or NA): leave it out of the features");
            if (_text == true && Log1p)
                throw new DataFormatException(source, $"column '{TextExcerpt.Of(name)}' holds text ('{_first.Excerpt}' on line {_first.Line}): only a numeric column can be a log feature");
            if (_text == false)
            {
                double sum = 0;
                long count = 0;
                foreach (int r in trainRows) { float v = x.Row(r)[j]; if (!float.IsNaN(v)) { sum += v; count++; } }
                if (count == 0)
                    throw new DataFormatException(source, $"column '{TextExcerpt.Of(name)}' has no value in the {trainRows.Length:N0} training rows (every one is empty or NA), so nothing to fill its missing cells with");
                return new TableColumn { Name = name, Fill = (float)(sum / count), Log1p = Log1p };
            }
            var sorted = _names.Order(StringComparer.Ordinal).ToArray();
            _rank = new int[sorted.Length];
            for (int k = 0; k < sorted.Length; k++) _rank[_codes[sorted[k]]] = k;
            var counts = new long[sorted.Length];
            foreach (int r in trainRows) { float v = x.Row(r)[j]; if (!float.IsNaN(v)) counts[_rank[(int)v]]++; }
            if (counts.All(c => c == 0))
                throw new DataFormatException(source, $"column '{TextExcerpt.Of(name)}' has no value in the {trainRows.Length:N0} training rows (every one is empty or NA), so nothing to fill its missing cells with");
            int mode = 0;
            for (int k = 1; k < counts.Length; k++) if (counts[k] > counts[mode]) mode = k;
            return new TableColumn { Name = name, Categories = sorted, FillCategory = mode };
        }
    }
}
