using System.Globalization;

namespace ScratchNet.Data;

/// <summary>
/// The target column of a table, collected cell by cell as the file streams by, then resolved into
/// values (regression) or class indices (classification). It keeps a float per row, a label index per
/// row and each distinct label once (at most <see cref="Limits.MaxClasses"/> of them: beyond that the
/// column can only be numeric).
/// </summary>
internal sealed class TargetColumn
{
    private readonly ChunkedBuffer<float> _values = new(1);
    private readonly ChunkedBuffer<int> _labels = new(1);
    private readonly Dictionary<string, int> _labelIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _labelNames = [];
    private bool _tooManyLabels, _integers = true;
    private long _numbers;
    private (int Line, string Excerpt)? _firstNonNumber;
    private (int Line, int Length)? _firstLongLabel;

    public TargetColumn() => _lookup = _labelIndex.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Rows added.</summary>
    public int Count => _values.Count;

    /// <summary>Adds the target cell of the row on <paramref name="line"/> (not empty).</summary>
    public void Add(ReadOnlySpan<char> cell, int line)
    {
        if (CsvReader.TryParseNumber(cell, out float v))
        {
            _numbers++;
            if (v != MathF.Round(v)) _integers = false;
            _values.Add(v);
        }
        else
        {
            _values.Add(float.NaN);
            _firstNonNumber ??= (line, TextExcerpt.Of(cell));
        }
        if (cell.Length > Limits.MaxNameChars) _firstLongLabel ??= (line, cell.Length);
        if (_tooManyLabels || _firstLongLabel is not null) { _labels.Add(-1); return; }
        if (!_lookup.TryGetValue(cell, out int label))
        {
            if (_labelNames.Count == Limits.MaxClasses)
            {
                _tooManyLabels = true;
                _labels.Add(-1);
                return;
            }
            label = _labelNames.Count;
            string name = new(cell);
            _labelNames.Add(name);
            _labelIndex.Add(name, label);
        }
        _labels.Add(label);
    }

    /// <summary>
    /// The targets and, for classification, the class names (sorted distinct labels: numerically when
    /// every label is an integer, else ordinally as text). <paramref name="task"/> null decides: a
    /// numeric column is regression unless it has at most <see cref="TableData.MaxAutoClasses"/>
    /// distinct integers; a text column is classification; a column of numbers with some cells that are
    /// not (NaN, 1e999, a word) is an error rather than a guess.
    /// </summary>
    /// <param name="task">"classification", "regression", or null to decide.</param>
    /// <param name="source">The file, for errors.</param>
    /// <param name="where">Where the target cell of a line is ("line 5, column 3 ('y')"), for errors.</param>
    public (float[] Values, string[]? ClassNames) Resolve(string? task, string source, Func<int, string> where)
    {
        int n = Count;
        bool allNumbers = _numbers == n, allIntegers = allNumbers && _integers;
        if (task == null)
        {
            if (allNumbers) task = allIntegers && DistinctValues(TableData.MaxAutoClasses + 1).Count <= TableData.MaxAutoClasses ? "classification" : "regression";
            else if (_numbers > 0)
            {
                var (line, text) = _firstNonNumber!.Value;
                throw new DataFormatException(source, $"{where(line)}: '{text}' is not a finite number, but {_numbers:N0} of the {n:N0} cells of the target column are numbers " +
                    "(a numeric target needs a finite number in every row; fix or remove that row, or set the task to classification to read every cell as a label)");
            }
            else task = "classification";
        }
        if (task == "regression")
        {
            if (!allNumbers)
            {
                var (line, text) = _firstNonNumber!.Value;
                throw new DataFormatException(source, $"{where(line)}: '{text}' is not a number (a regression target must be numeric)");
            }
            var values = new float[n];
            for (int r = 0; r < n; r++) values[r] = _values[r];
            return (values, null);
        }
        if (task != "classification") throw new DataFormatException(source, $"unknown task '{TextExcerpt.Of(task)}' (use classification or regression)");

        var y = new float[n];
        if (allIntegers)
        {
            var distinct = DistinctValues(Limits.MaxClasses + 1);
            if (distinct.Count > Limits.MaxClasses) throw TooManyClasses(source);
            var sorted = distinct.Order().ToArray();
            var index = new Dictionary<float, int>(sorted.Length);
            for (int k = 0; k < sorted.Length; k++) index[sorted[k]] = k;
            for (int r = 0; r < n; r++) y[r] = index[_values[r]];
            return (y, sorted.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        if (_firstLongLabel is { } longLabel)
            throw new DataFormatException(source, $"{where(longLabel.Line)}: a class label of {longLabel.Length:N0} characters (at most {Limits.MaxNameChars:N0})");
        if (_tooManyLabels) throw TooManyClasses(source);
        var names = _labelNames.Order(StringComparer.Ordinal).ToArray();
        var rank = new int[names.Length];
        for (int k = 0; k < names.Length; k++) rank[_labelIndex[names[k]]] = k;
        for (int r = 0; r < n; r++) y[r] = rank[_labels[r]];
        return (y, names);
    }

    /// <summary>The distinct values, collecting at most <paramref name="atMost"/> of them.</summary>
    private HashSet<float> DistinctValues(int atMost)
    {
        var set = new HashSet<float>();
        for (int r = 0; r < Count && set.Count < atMost; r++) set.Add(_values[r]);
        return set;
    }

    private static DataFormatException TooManyClasses(string source) =>
        new(source, $"the target column has more than {Limits.MaxClasses:N0} distinct labels (the limit on classes)");
}
