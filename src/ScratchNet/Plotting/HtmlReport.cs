using ScratchNet.IO;
using System.Globalization;
using System.Net;
using System.Text;

namespace ScratchNet.Plotting;

/// <summary>
/// One self-contained HTML page per training run (<c>DIR/report.html</c>): the settings as a key/value
/// table, the metrics as a table with one row per epoch, and every picture embedded (SVG inline,
/// PNG and GIF as data: URIs), so the file can be mailed or opened anywhere. The page contains only
/// what was added (no timestamps, no paths), so the same run gives the same bytes.
/// <code>
/// var report = new HtmlReport("xor: 2-4-1 MLP")
///     .AddSetting("learning rate", "0.1")
///     .AddMetrics(1, ("loss", 0.69), ("accuracy", 0.5))
///     .AddChart("Loss", lossChart)
///     .AddGif("Decision boundary during training", animation.Gif.ToGif());
/// report.Save("runs/xor");
/// </code>
/// </summary>
public sealed class HtmlReport
{
    private readonly List<(string Key, string Value)> _settings = [];
    private readonly List<string> _metricNames = [];
    private readonly List<(int Epoch, Dictionary<string, double> Values)> _metrics = [];
    private readonly List<(string Caption, string Markup)> _figures = [];
    private readonly List<(string Heading, string Text)> _notes = [];

    /// <summary>Page title and heading.</summary>
    public string Title { get; set; }

    /// <summary>An optional paragraph under the heading.</summary>
    public string? Description { get; set; }

    /// <summary>An empty report headed <paramref name="title"/>.</summary>
    public HtmlReport(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
    }

    /// <summary>Adds one row to the settings table (shown in the order added).</summary>
    public HtmlReport AddSetting(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _settings.Add((key, value ?? ""));
        return this;
    }

    /// <summary>Adds a numeric setting, formatted with the invariant culture.</summary>
    public HtmlReport AddSetting(string key, double value) => AddSetting(key, FormatNumber(value));

    /// <summary>Adds several settings.</summary>
    public HtmlReport AddSettings(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (k, v) in settings) AddSetting(k, v);
        return this;
    }

    /// <summary>Adds the metrics of one epoch; columns appear in the order their names are first seen.</summary>
    public HtmlReport AddMetrics(int epoch, params (string Name, double Value)[] metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var values = new Dictionary<string, double>();
        foreach (var (name, value) in metrics)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (!_metricNames.Contains(name)) _metricNames.Add(name);
            values[name] = value;
        }
        _metrics.Add((epoch, values));
        return this;
    }

    /// <summary>Adds the metrics of one epoch from a dictionary (columns in the dictionary's enumeration order).</summary>
    public HtmlReport AddMetrics(int epoch, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return AddMetrics(epoch, [.. metrics.Select(kv => (kv.Key, kv.Value))]);
    }

    /// <summary>Adds a section of plain text (e.g. the model summary), shown preformatted.</summary>
    public HtmlReport AddText(string heading, string text)
    {
        ArgumentNullException.ThrowIfNull(heading);
        _notes.Add((heading, text ?? ""));
        return this;
    }

    /// <summary>Adds an SVG document, inlined in the page.</summary>
    public HtmlReport AddSvg(string caption, string svg)
    {
        ArgumentNullException.ThrowIfNull(svg);
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0) throw new ArgumentException($"Figure '{caption}' is not SVG: no <svg> element found.", nameof(svg));
        _figures.Add((caption ?? "", svg[start..].TrimEnd()));
        return this;
    }

    /// <summary>Adds a chart, inlined as SVG.</summary>
    public HtmlReport AddChart(string caption, Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return AddSvg(caption, chart.ToSvg());
    }

    /// <summary>Adds a confusion matrix, inlined as SVG.</summary>
    public HtmlReport AddChart(string caption, ConfusionMatrixPlot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        return AddSvg(caption, plot.ToSvg());
    }

    /// <summary>Adds a PNG file's bytes as a data: URI image.</summary>
    public HtmlReport AddPng(string caption, byte[] png) => AddDataImage(caption, png, "image/png", [0x89, 0x50, 0x4E, 0x47]);

    /// <summary>Adds a GIF (e.g. an animation) as a data: URI image.</summary>
    public HtmlReport AddGif(string caption, byte[] gif) => AddDataImage(caption, gif, "image/gif", "GIF8"u8.ToArray());

    /// <summary>Adds a raster image, encoded as PNG.</summary>
    public HtmlReport AddImage(string caption, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return AddPng(caption, image.ToPng());
    }

    /// <summary>Adds a picture file by its extension: .svg inlined, .png and .gif embedded.</summary>
    public HtmlReport AddImageFile(string caption, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Picture '{path}' for the report does not exist.", path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".svg" => AddSvg(caption, File.ReadAllText(path)),
            ".png" => AddPng(caption, File.ReadAllBytes(path)),
            ".gif" => AddGif(caption, File.ReadAllBytes(path)),
            var ext => throw new ArgumentException($"Picture '{path}': unsupported type '{ext}'; use .svg, .png or .gif.", nameof(path)),
        };
    }

    /// <summary>The complete page.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(Title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<header><h1>").Append(E(Title)).Append("</h1>");
        if (!string.IsNullOrEmpty(Description)) html.Append("<p class=\"lead\">").Append(E(Description)).Append("</p>");
        html.Append("</header>\n");

        if (_settings.Count > 0)
        {
            html.Append("<section>\n<h2>Settings</h2>\n<table class=\"settings\">\n<tbody>\n");
            foreach (var (k, v) in _settings)
                html.Append("<tr><th scope=\"row\">").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n</section>\n");
        }

        if (_metrics.Count > 0)
        {
            html.Append("<section>\n<h2>Metrics</h2>\n<div class=\"scroll\">\n<table class=\"metrics\">\n<thead><tr><th>epoch</th>");
            foreach (string name in _metricNames) html.Append("<th>").Append(E(name)).Append("</th>");
            html.Append("</tr></thead>\n<tbody>\n");
            foreach (var (epoch, values) in _metrics)
            {
                html.Append("<tr><td>").Append(epoch.ToString(CultureInfo.InvariantCulture)).Append("</td>");
                foreach (string name in _metricNames)
                    html.Append("<td>").Append(values.TryGetValue(name, out double v) ? E(FormatNumber(v)) : "").Append("</td>");
                html.Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n</div>\n</section>\n");
        }

        foreach (var (heading, text) in _notes)
            html.Append("<section>\n<h2>").Append(E(heading)).Append("</h2>\n<pre>").Append(E(text)).Append("</pre>\n</section>\n");

        if (_figures.Count > 0)
        {
            html.Append("<section>\n<h2>Pictures</h2>\n<div class=\"figures\">\n");
            foreach (var (caption, markup) in _figures)
            {
                html.Append("<figure>\n").Append(markup).Append('\n');
                if (caption.Length > 0) html.Append("<figcaption>").Append(E(caption)).Append("</figcaption>\n");
                html.Append("</figure>\n");
            }
            html.Append("</div>\n</section>\n");
        }
        html.Append("<footer>Made with ScratchNet.</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes <c>report.html</c> into <paramref name="directory"/> (created if needed) atomically; returns its path.</summary>
    public string Save(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string path = Path.Combine(directory, "report.html");
        AtomicFile.WriteAllText(path, ToHtml());
        return path;
    }

    private HtmlReport AddDataImage(string caption, byte[] bytes, string mime, byte[] magic)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < magic.Length || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
            throw new ArgumentException($"Figure '{caption}' is not a valid {mime} file (wrong signature).", nameof(bytes));
        string alt = E(string.IsNullOrEmpty(caption) ? "figure" : caption);
        _figures.Add((caption ?? "", $"<img alt=\"{alt}\" src=\"data:{mime};base64,{Convert.ToBase64String(bytes)}\">"));
        return this;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Integers without decimals, others with up to 4 decimals (exponent form below 0.01), invariant culture.</summary>
    internal static string FormatNumber(double v)
    {
        if (!double.IsFinite(v)) return v.ToString(CultureInfo.InvariantCulture);
        if (v == Math.Round(v) && Math.Abs(v) < 1e15) return v.ToString("0", CultureInfo.InvariantCulture);
        double abs = Math.Abs(v);
        return abs >= 0.01 && abs < 1e12 ? v.ToString("0.####", CultureInfo.InvariantCulture) : v.ToString("0.###e+0", CultureInfo.InvariantCulture);
    }

    private const string Css = """
        :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --accent: #0072b2; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #eef1f4; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 28px 20px 40px; }
        header { border-left: 5px solid var(--accent); padding: 4px 0 4px 16px; margin-bottom: 22px; }
        h1 { font-size: 26px; margin: 0; font-weight: 650; }
        .lead { color: var(--muted); margin: 6px 0 0; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px 20px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(31,35,40,.06); }
        h2 { font-size: 17px; margin: 0 0 12px; font-weight: 620; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 14px; }
        th, td { padding: 5px 14px; border-bottom: 1px solid var(--line); text-align: left; }
        table.settings th { color: var(--muted); font-weight: 500; }
        table.metrics th { position: sticky; top: 0; background: var(--soft); }
        table.metrics td { text-align: right; }
        table.metrics td:first-child, table.metrics th:first-child { text-align: left; }
        tbody tr:nth-child(even) { background: #fafbfc; }
        .scroll { max-height: 420px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; display: inline-block; max-width: 100%; }
        .scroll table th, .scroll table td { border-bottom: 1px solid #eceff2; }
        pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow: auto; font-size: 13px; }
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 18px; align-items: start; }
        figure { margin: 0; padding: 10px; border: 1px solid var(--line); border-radius: 8px; background: #fff; min-width: 0; }
        figure > svg { display: block; width: 100%; height: auto; margin: 0 auto; }
        figure > img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figure > img { image-rendering: auto; }
        figcaption { color: var(--muted); font-size: 13.5px; margin-top: 6px; text-align: center; }
        footer { color: var(--muted); font-size: 12.5px; text-align: center; margin-top: 8px; }

        """;
}
