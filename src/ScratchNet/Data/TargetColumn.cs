using System.Globalization;

namespace ScratchNet.Data;

/// <summary>
/// The target column of a table, collected cell by cell as the file streams by, then resolved into
/// values (regression) or class indices (classification). It keeps a float per row and, while the
/// column may still turn out to hold text labels, a label index per row and each distinct label once
/// (at most <see cref="Limits.MaxClasses"/> of them).
/// </summary>
/// <param name="task">The task if given ("classification", "regression"), else null.</param>
internal sealed class TargetColumn(string? task)
{
    private readonly ChunkedBuffer<float> _values = new(1);
    private readonly ChunkedBuffer<int> _labels = new(1);
    private readonly Dictionary<string, int> _labelIndex = new(StringComparer.Ordinal);
    private readonly List<string> _labelNames = [];
    private bool _tooManyLabels, _integers = true;
    // Labels are kept only while they may be needed: never for regression, and, when the task is to be
    // decided, only until the first number (a column with numbers is numeric or an error, never text labels).
    private bool _keepLabels = task != "regression";
    private long _numbers;
    private (int Line, string Excerpt)? _firstNonNumber;
    private (int Line, int Length)? _firstLongLabel;

    private readonly string? _task = task;

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
            if (_task is null && _keepLabels)
            {
                _keepLabels = false;
                _labelIndex.Clear();
                _labelNames.Clear();
            }
        }
        else
        {
            _values.Add(float.NaN);
            _firstNonNumber ??= (line, TextExcerpt.Of(cell));
        }
        if (!_keepLabels) return;
        if (cell.Length > Limits.MaxNameChars) _firstLongLabel ??= (line, cell.Length);
        if (_tooManyLabels || _firstLongLabel is not null) { _labels.Add(-1); return; }
        if (!_labelIndex.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(cell, out int label))
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
    /// every label is an integer, else ordinally as text). Without a given task, the column decides: a
    /// numeric column is regression unless it has at most <see cref="TableData.MaxAutoClasses"/>
    /// distinct integers; a text column is classification; a column of numbers with some cells that are
    /// not (NaN, 1e999, a word) is an error rather than a guess.
    /// </summary>
    /// <param name="source">The file, for errors.</param>
    /// <param name="where">Where the target cell of a line is ("line 5, column 3 ('y')"), for errors.</param>
    /// <returns>The target of each row (by row index), and the class names for classification.</returns>
    public (Func<int, float> Values, string[]? ClassNames) Resolve(string source, Func<int, string> where)
    {
        string? task = _task;
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
            return (r => _values[r], null);
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
            return (r => y[r], sorted.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        if (_firstLongLabel is { } longLabel)
            throw new DataFormatException(source, $"{where(longLabel.Line)}: a class label of {longLabel.Length:N0} characters (at most {Limits.MaxNameChars:N0})");
        if (_tooManyLabels) throw TooManyClasses(source);
        var names = _labelNames.Order(StringComparer.Ordinal).ToArray();
        var rank = new int[names.Length];
        for (int k = 0; k < names.Length; k++) rank[_labelIndex[names[k]]] = k;
        for (int r = 0; r < n; r++) y[r] = rank[_labels[r]];
        return (r => y[r], names);
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
