using System.Globalization;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Playground.Lab;

/// <summary>
/// What the page draws after some training, computed by the library's layers over grids of points:
/// the decision boundary (class probabilities, or the regression surface) over a
/// <see cref="Grid"/>² grid, and every neuron's output over a <see cref="ThumbGrid"/>² grid (its
/// thumbnail), with the network's nodes and links and what hovering each one shows.
/// </summary>
public sealed class Views
{
    /// <summary>Cells per side of the boundary's grid and of each thumbnail's.</summary>
    public const int Grid = 50, ThumbGrid = 20;

    public required byte[] Boundary { get; init; }
    public required byte[] Thumbs { get; init; }
    public required List<Node> Nodes { get; init; }
    public required List<Link> Links { get; init; }

    /// <summary>Nodes per column: inputs, each hidden layer, outputs.</summary>
    public required int[] Columns { get; init; }

    /// <summary>The views of <paramref name="s"/>'s model as it is now.</summary>
    public static Views Compute(Session s)
    {
        float extent = s.Points.Extent;
        var features = s.Settings.Features;
        var (_, boundaryOut) = Run(s, GridInputs(features, Grid, extent), capture: false);
        var (captured, thumbOut) = Run(s, GridInputs(features, ThumbGrid, extent), capture: true);

        int outputs = s.Model.OutputShape[^1];
        var boundary = new byte[Grid * Grid * 4];
        var probabilities = new float[outputs];
        for (int i = 0; i < Grid * Grid; i++)
        {
            var row = boundaryOut.AsSpan(i * outputs, outputs);
            (byte r, byte g, byte b) colour;
            if (s.Classifies)
            {
                Softmax(row, probabilities);
                float cr = 0, cg = 0, cb = 0, max = 0;
                for (int k = 0; k < outputs; k++)
                {
                    var c = Palette.Classes[k % Palette.Classes.Length];
                    cr += probabilities[k] * c.R; cg += probabilities[k] * c.G; cb += probabilities[k] * c.B;
                    max = Math.Max(max, probabilities[k]);
                }
                // Confident regions are strong, uncertain ones pale: the boundary is where the colour fades.
                float a = 0.15f + 0.55f * (max - 1f / outputs) / (1 - 1f / outputs);
                colour = (Palette.Mix(255, cr, a), Palette.Mix(255, cg, a), Palette.Mix(255, cb, a));
            }
            else colour = Palette.Diverging(row[0]);
            boundary[4 * i] = colour.r; boundary[4 * i + 1] = colour.g; boundary[4 * i + 2] = colour.b; boundary[4 * i + 3] = 255;
        }

        // Thumbnails: the inputs, every hidden neuron, every output (probabilities when classifying).
        int cells = ThumbGrid * ThumbGrid;
        var maps = new List<float[]>();
        var gridX = GridInputs(features, ThumbGrid, extent).ToArray();
        for (int j = 0; j < features.Count; j++) maps.Add(Column(gridX, features.Count, j, cells));
        foreach (var (values, units) in captured)
            for (int j = 0; j < units; j++) maps.Add(Column(values, units, j, cells));
        var outMaps = new float[outputs][];
        for (int k = 0; k < outputs; k++) outMaps[k] = new float[cells];
        for (int i = 0; i < cells; i++)
        {
            var row = thumbOut.AsSpan(i * outputs, outputs);
            if (s.Classifies) Softmax(row, probabilities); else row.CopyTo(probabilities);
            for (int k = 0; k < outputs; k++) outMaps[k][i] = probabilities[k];
        }
        maps.AddRange(outMaps);
        var thumbs = new byte[maps.Count * cells * 4];
        for (int m = 0; m < maps.Count; m++)
        {
            bool isOutput = m >= maps.Count - outputs;
            float scale = isOutput && s.Classifies ? 1 : Math.Max(1e-6f, maps[m].Max(v => MathF.Abs(v)));
            for (int i = 0; i < cells; i++)
            {
                float v = maps[m][i];
                var (r, g, b) = isOutput && s.Classifies
                    ? (Palette.Mix(255, Palette.Classes[(m - (maps.Count - outputs)) % 5].R, v), Palette.Mix(255, Palette.Classes[(m - (maps.Count - outputs)) % 5].G, v), Palette.Mix(255, Palette.Classes[(m - (maps.Count - outputs)) % 5].B, v))
                    : Palette.Diverging(v / scale);
                int o = (m * cells + i) * 4;
                thumbs[o] = r; thumbs[o + 1] = g; thumbs[o + 2] = b; thumbs[o + 3] = 255;
            }
        }

        var (nodes, links, columns) = Describe(s, maps);
        return new Views { Boundary = boundary, Thumbs = thumbs, Nodes = nodes, Links = links, Columns = columns };
    }

    /// <summary>The features of the grid's cell centres, row by row from the top (x2 = +extent) and left (x1 = -extent).</summary>
    public static Tensor GridInputs(IReadOnlyList<string> features, int side, float extent)
    {
        var x1 = new float[side * side];
        var x2 = new float[side * side];
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
            {
                x1[r * side + c] = -extent + (c + 0.5f) * 2 * extent / side;
                x2[r * side + c] = extent - (r + 0.5f) * 2 * extent / side;
            }
        return FeatureMap.Inputs(features, x1, x2);
    }

    /// <summary>
    /// The model's layers one by one (inference mode) over <paramref name="x"/>; with
    /// <paramref name="capture"/>, a copy of each hidden layer's output (after its activation).
    /// </summary>
    private static (List<(float[] Values, int Units)> Hidden, float[] Output) Run(Session s, Tensor x, bool capture)
    {
        var hidden = new List<(float[], int)>();
        // Each hidden block is Dense, its activation (none when linear), dropout (when any): see Session.BuildModel.
        var ends = new HashSet<int>();
        int index = 0;
        foreach (var l in s.Settings.Layers)
        {
            int end = index + (l.Activation == "linear" ? 0 : 1);
            ends.Add(end);
            index = end + 1 + (s.Settings.Dropout > 0 ? 1 : 0);
        }
        Tensor t = x;
        for (int i = 0; i < s.Model.Layers.Count; i++)
        {
            t = s.Model.Layers[i].Forward(t, training: false);
            if (capture && ends.Contains(i)) hidden.Add((t.ToArray(), t.Columns));
        }
        return (hidden, t.ToArray());
    }

    private static float[] Column(float[] values, int width, int j, int rows)
    {
        var column = new float[rows];
        for (int i = 0; i < rows; i++) column[i] = values[i * width + j];
        return column;
    }

    /// <summary>Softmax of <paramref name="z"/> into <paramref name="p"/>: p_k = e^(z_k - max z) / Σ e^(z_j - max z).</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> p)
    {
        float max = float.NegativeInfinity;
        foreach (float v in z) max = Math.Max(max, v);
        float sum = 0;
        for (int k = 0; k < z.Length; k++) { p[k] = MathF.Exp(z[k] - max); sum += p[k]; }
        for (int k = 0; k < z.Length; k++) p[k] /= sum;
    }

    /// <summary>The drawn network: a node per input, hidden neuron and output, a link per weight, and their hover texts (value and formula).</summary>
    private static (List<Node>, List<Link>, int[]) Describe(Session s, List<float[]> maps)
    {
        var ci = CultureInfo.InvariantCulture;
        var denses = s.Model.Layers.OfType<Dense>().ToList();
        var features = s.Settings.Features;
        var columns = new List<int> { features.Count };
        columns.AddRange(s.Settings.Layers.Select(l => l.Units));
        columns.Add(s.Model.OutputShape[^1]);
        var nodes = new List<Node>();
        int map = 0;
        string Range(float[] m) => string.Create(ci, $"on the plot it goes from {m.Min():0.###} to {m.Max():0.###}");
        for (int j = 0; j < features.Count; j++, map++)
            nodes.Add(new Node(0, j, FeatureMap.Label(features[j]), $"input {FeatureMap.Label(features[j])} = {Formula(features[j])}; {Range(maps[map])}"));
        for (int l = 0; l < s.Settings.Layers.Count; l++)
        {
            var layer = s.Settings.Layers[l];
            var bias = denses[l].Bias!.Value;
            string previous = l == 0 ? "x" : $"h{l}";
            for (int j = 0; j < layer.Units; j++, map++)
            {
                string act = layer.Activation == "linear" ? "" : layer.Activation;
                string dropout = s.Settings.Dropout > 0 ? string.Create(ci, $"; while training, dropped with probability {s.Settings.Dropout:0.##} and the others scaled by 1/(1 - p)") : "";
                nodes.Add(new Node(l + 1, j, $"h{l + 1},{j + 1}",
                    string.Create(ci, $"h{l + 1},{j + 1} = {act}(Σᵢ wᵢ,{j + 1} · {previous}ᵢ + b{j + 1}), b{j + 1} = {bias[j]:0.####}; {Range(maps[map])}{dropout}")));
            }
        }
        int outputs = columns[^1];
        var outBias = denses[^1].Bias!.Value;
        string last = s.Settings.Layers.Count == 0 ? "x" : $"h{s.Settings.Layers.Count}";
        for (int k = 0; k < outputs; k++, map++)
            nodes.Add(new Node(columns.Count - 1, k, s.Classifies ? $"p{k}" : "ŷ", s.Classifies
                ? string.Create(ci, $"p{k} = softmax(z)ₖ = e^zₖ / Σⱼ e^zⱼ, zₖ = Σᵢ wᵢₖ · {last}ᵢ + bₖ, b = {outBias[k]:0.####}: the probability of class {k}; {Range(maps[map])}")
                : string.Create(ci, $"ŷ = Σᵢ wᵢ · {last}ᵢ + b, b = {outBias[0]:0.####} (linear: regression); {Range(maps[map])}")));

        var links = new List<Link>();
        for (int l = 0; l < denses.Count; l++)
        {
            var w = denses[l].Weight.Value; // (inputs, units): y = x W + b
            int inputs = w.Dim(0), units = w.Dim(1);
            for (int i = 0; i < inputs; i++)
                for (int j = 0; j < units; j++)
                {
                    float v = w[i, j];
                    string from = nodes.First(n => n.Column == l && n.Row == i).Label, to = nodes.First(n => n.Column == l + 1 && n.Row == j).Label;
                    links.Add(new Link(l, i, j, v, string.Create(ci, $"w = {v:0.####} from {from} to {to}: {to}'s sum gets w · {from}")));
                }
        }
        return (nodes, links, columns.ToArray());
    }

    private static string Formula(string feature) => feature switch
    {
        "x1^2" => "x₁²", "x2^2" => "x₂²", "x1*x2" => "x₁ · x₂", "sin(x1)" => "sin x₁", "sin(x2)" => "sin x₂", "x1" => "the point's first coordinate", _ => "the point's second coordinate",
    };
}
