using System.Globalization;
using ScratchNet.Layers;
using ScratchNet.Optimizers;

namespace ScratchNet.Playground.Lab;

/// <summary>
/// Everything the page's controls set, and its form in the URL's query (so a teacher can share an exact
/// setup): <c>?data=spirals&amp;classes=3&amp;net=16:tanh,16:tanh&amp;opt=adam&amp;lr=0.01&amp;hide=features</c>.
/// Every value read from a URL is range-checked; a bad one keeps its default and is reported.
/// </summary>
public sealed class Settings
{
    /// <summary>The data sets: four classification sets, two regression sets, points drawn with the mouse, an uploaded or pasted CSV.</summary>
    public static readonly string[] DataSets = ["circles", "xor", "gaussians", "spirals", "plane", "bump", "drawn", "csv"];

    /// <summary>The input features the network may take, computed from the point (x1, x2).</summary>
    public static readonly string[] FeatureNames = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"];

    /// <summary>The control groups a URL may hide (<c>hide=</c>).</summary>
    public static readonly string[] Groups = ["data", "features", "network", "training", "regularization", "export"];

    /// <summary>Most hidden layers and neurons per layer: the page draws every neuron.</summary>
    public const int MaxLayers = 6, MaxUnits = 16;

    public string Data { get; set; } = "spirals";
    public int Classes { get; set; } = 3;
    public double Noise { get; set; } = 0.2;
    public int Count { get; set; } = 600;
    public int TrainPercent { get; set; } = 50;
    public ulong Seed { get; set; } = 1;
    public List<string> Features { get; set; } = ["x1", "x2"];
    public List<LayerSetting> Layers { get; set; } = [new(16, "tanh"), new(16, "tanh")];
    public double Dropout { get; set; }
    public double L1 { get; set; }
    public double L2 { get; set; }
    public string Optimizer { get; set; } = "adam";
    public double LearningRate { get; set; } = 0.01;
    public int BatchSize { get; set; } = 16;
    public HashSet<string> Hidden { get; set; } = [];

    /// <summary>Points drawn with the mouse (data = drawn): x1, x2 in [-1, 1] and the class (or value).</summary>
    public List<(float X1, float X2, float Label)> Drawn { get; set; } = [];

    /// <summary>Regression sets: a value per point instead of a class.</summary>
    public bool IsRegression => Data is "plane" or "bump";

    public Settings Clone()
    {
        var c = (Settings)MemberwiseClone();
        c.Features = [.. Features];
        c.Layers = [.. Layers];
        c.Hidden = [.. Hidden];
        c.Drawn = [.. Drawn];
        return c;
    }

    /// <summary>The query string (without '?') that gives these settings back through <see cref="FromQuery"/>.</summary>
    public string ToQuery()
    {
        var ci = CultureInfo.InvariantCulture;
        var q = new List<string>
        {
            "data=" + Data,
            "classes=" + Classes.ToString(ci),
            "noise=" + Noise.ToString("R", ci),
            "n=" + Count.ToString(ci),
            "train=" + TrainPercent.ToString(ci),
            "seed=" + Seed.ToString(ci),
            "f=" + string.Join(",", Features.Select(Uri.EscapeDataString)),
            "net=" + string.Join(",", Layers.Select(l => $"{l.Units.ToString(ci)}:{l.Activation}")),
            "dropout=" + Dropout.ToString("R", ci),
            "l1=" + L1.ToString("R", ci),
            "l2=" + L2.ToString("R", ci),
            "opt=" + Optimizer,
            "lr=" + LearningRate.ToString("R", ci),
            "batch=" + BatchSize.ToString(ci),
        };
        if (Hidden.Count > 0) q.Add("hide=" + string.Join(",", Groups.Where(Hidden.Contains)));
        if (Drawn.Count > 0) q.Add("pts=" + string.Join(";", Drawn.Select(p => string.Create(ci, $"{p.X1:0.###},{p.X2:0.###},{p.Label:0.###}"))));
        return string.Join("&", q);
    }

    /// <summary>
    /// Settings from a query string (with or without '?'); unknown keys are ignored, and each bad value
    /// keeps its default and adds one line to <paramref name="problems"/> (the key and why).
    /// </summary>
    public static Settings FromQuery(string query, List<string> problems)
    {
        var s = new Settings();
        var ci = CultureInfo.InvariantCulture;
        foreach (string pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string key = eq < 0 ? pair : pair[..eq];
            string value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            string? error = key switch
            {
                "data" => Pick(value, DataSets, v => s.Data = v),
                "classes" => Int(value, 2, 5, v => s.Classes = v),
                "noise" => Number(value, 0, 1, v => s.Noise = v),
                "n" => Int(value, 20, 4000, v => s.Count = v),
                "train" => Int(value, 10, 90, v => s.TrainPercent = v),
                "seed" => ulong.TryParse(value, NumberStyles.None, ci, out ulong seed) ? Set(() => s.Seed = seed) : "not a whole number >= 0",
                "f" => ParseFeatures(value, s),
                "net" => ParseLayers(value, s),
                "dropout" => Number(value, 0, 0.9, v => s.Dropout = v),
                "l1" => Number(value, 0, 1, v => s.L1 = v),
                "l2" => Number(value, 0, 1, v => s.L2 = v),
                "opt" => Pick(value, OptimizerFactory.Names, v => s.Optimizer = v),
                "lr" => Number(value, 1e-6, 10, v => s.LearningRate = v),
                "batch" => Int(value, 1, 1000, v => s.BatchSize = v),
                "hide" => ParseHidden(value, s),
                "pts" => ParsePoints(value, s),
                _ => null,
            };
            if (error is not null) problems.Add($"URL '{key}={TextExcerpt.Of(value, 40)}': {error}");
        }
        return s;
    }

    private static string? Set(Action set) { set(); return null; }

    private static string? Pick(string value, IReadOnlyList<string> choices, Action<string> set) =>
        choices.Contains(value) ? Set(() => set(value)) : $"not one of {string.Join(", ", choices)}";

    private static string? Int(string value, int min, int max, Action<int> set) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? Set(() => set(v)) : $"not a whole number from {min} to {max}";

    private static string? Number(string value, double min, double max, Action<double> set) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= min && v <= max
            ? Set(() => set(v)) : string.Create(CultureInfo.InvariantCulture, $"not a number from {min} to {max}");

    private static string? ParseFeatures(string value, Settings s)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) return "no feature";
        if (names.FirstOrDefault(n => !FeatureNames.Contains(n)) is { } bad) return $"'{TextExcerpt.Of(bad, 20)}' is not one of {string.Join(", ", FeatureNames)}";
        s.Features = FeatureNames.Where(names.Contains).ToList();
        return null;
    }

    private static string? ParseLayers(string value, Settings s)
    {
        var layers = new List<LayerSetting>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bits = part.Split(':');
            if (!int.TryParse(bits[0], NumberStyles.None, CultureInfo.InvariantCulture, out int units) || units < 1 || units > MaxUnits)
                return $"layer {layers.Count + 1}: '{TextExcerpt.Of(bits[0], 10)}' is not a width from 1 to {MaxUnits}";
            string activation = bits.Length > 1 ? bits[1] : "tanh";
            if (!LayerFactory.ActivationNames.Contains(activation) && activation != "linear")
                return $"layer {layers.Count + 1}: '{TextExcerpt.Of(activation, 20)}' is not one of linear, {string.Join(", ", LayerFactory.ActivationNames)}";
            layers.Add(new LayerSetting(units, activation));
        }
        if (layers.Count > MaxLayers) return $"{layers.Count} layers (at most {MaxLayers})";
        s.Layers = layers;
        return null;
    }

    private static string? ParseHidden(string value, Settings s)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.FirstOrDefault(n => !Groups.Contains(n)) is { } bad) return $"'{TextExcerpt.Of(bad, 20)}' is not one of {string.Join(", ", Groups)}";
        s.Hidden = [.. names];
        return null;
    }

    private static string? ParsePoints(string value, Settings s)
    {
        var points = new List<(float, float, float)>();
        foreach (string part in value.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var v = part.Split(',');
            if (points.Count >= 4000) return "more than 4000 points";
            if (v.Length != 3 || !float.TryParse(v[0], NumberStyles.Float, CultureInfo.InvariantCulture, out float x1) || !float.TryParse(v[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float x2)
                || !float.TryParse(v[2], NumberStyles.Float, CultureInfo.InvariantCulture, out float label)
                || !(Math.Abs(x1) <= 1) || !(Math.Abs(x2) <= 1) || !(label >= 0 && label <= 4 && label == MathF.Round(label)))
                return $"point {points.Count + 1} '{TextExcerpt.Of(part, 30)}' is not x1,x2,class with x1 and x2 in [-1, 1] and a class 0 to 4";
            points.Add((x1, x2, label));
        }
        s.Drawn = points;
        return null;
    }
}
