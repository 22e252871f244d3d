using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Plotting;

/// <summary>
/// Where a transformer looks: for one sequence, one picture per attention layer with one panel per
/// head, the T × T weights P[i, j] of query position i (row) on key position j (column) as a heat map
/// on the fixed scale [0, 1] (white 0, dark blue 1); the places j &gt; i, which the causal mask keeps at
/// 0, are grey. The sequence's characters label the rows and columns when given.
/// </summary>
public static class AttentionPictures
{
    private static readonly Rgb Masked = Rgb.FromHex("#e4e4e4"), Ink = Rgb.FromHex("#222222");

    /// <summary>
    /// Runs <paramref name="model"/> in inference mode on one sequence <paramref name="sequence"/> (its
    /// per-sample shape, e.g. T token ids) and draws the weights of every <see cref="CausalSelfAttention"/>
    /// in it (those inside <see cref="TransformerBlock"/>s included), in model order.
    /// </summary>
    /// <param name="model">A built model with at least one attention layer.</param>
    /// <param name="sequence">One sample.</param>
    /// <param name="labels">One short text per position (a character), or null for none.</param>
    /// <exception cref="ArgumentException">No attention layer, or labels of another length than T.</exception>
    public static IReadOnlyList<RgbImage> Layers(Sequential model, Tensor sequence, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequence);
        if (!model.IsBuilt) throw new InvalidOperationException("Build the model before drawing its attention.");
        var attentions = model.Layers.Select(l => l switch { TransformerBlock b => b.Attention, CausalSelfAttention a => a, _ => null })
            .OfType<CausalSelfAttention>().ToArray();
        if (attentions.Length == 0) throw new ArgumentException("AttentionPictures: the model has no attention layer.");
        if (sequence.Length != model.InputShape.Aggregate(1, (a, b) => a * b))
            throw new ShapeMismatchException("AttentionPictures: sequence", sequence.ShapeString, Tensor.FormatShape(model.InputShape));
        model.Forward(sequence.Reshape([1, .. model.InputShape]), training: false);
        var images = new List<RgbImage>(attentions.Length);
        for (int l = 0; l < attentions.Length; l++)
        {
            var p = attentions[l].AttentionWeights!;
            int heads = p.Dim(1), t = p.Dim(2);
            if (labels is not null && labels.Count != t)
                throw new ArgumentException($"AttentionPictures: {labels.Count} labels for {t} positions.");
            images.Add(Draw(p.Span[..(heads * t * t)], heads, t, labels, $"attention in block {l + 1}"));
        }
        return images;
    }

    /// <summary>
    /// The panels of one layer: <paramref name="weights"/> holds H blocks of T × T values, row-major,
    /// row i the weights of query i. Panels are laid out in rows of at most 4 (2 when T &gt; 24).
    /// </summary>
    public static RgbImage Draw(ReadOnlySpan<float> weights, int heads, int steps, IReadOnlyList<string>? labels, string title)
    {
        if (heads < 1 || steps < 1 || weights.Length != heads * steps * steps)
            throw new ArgumentException($"AttentionPictures: {weights.Length} weights are not {heads} heads of {steps} x {steps}.");
        int cell = steps <= 24 ? 14 : steps <= 64 ? 9 : Math.Max(1, 576 / steps);
        bool legible = labels is not null && cell >= BitmapFont.GlyphHeight;
        int margin = legible ? BitmapFont.GlyphWidth + 6 : 0;
        int panel = steps * cell, header = RgbImage.TextHeight() + 6, gap = 16;
        int columns = Math.Min(heads, steps > 24 ? 2 : 4), rows = (heads + columns - 1) / columns;
        int panelWidth = margin + panel, panelHeight = header + margin + panel;
        int width = gap + columns * (panelWidth + gap), top = RgbImage.TextHeight(2) + 12;
        var image = new RgbImage(width, top + rows * (panelHeight + gap), Rgb.White);
        image.DrawText(gap, 6, title, Ink, scale: 2);
        for (int h = 0; h < heads; h++)
        {
            int x0 = gap + h % columns * (panelWidth + gap), y0 = top + h / columns * (panelHeight + gap);
            image.DrawText(x0 + margin, y0, $"head {h + 1}", Ink);
            int gx = x0 + margin, gy = y0 + header + margin;
            var p = weights.Slice(h * steps * steps, steps * steps);
            for (int i = 0; i < steps; i++)
                for (int j = 0; j < steps; j++)
                    image.FillRect(gx + j * cell, gy + i * cell, cell, cell, j > i ? Masked : ColorMap.Blues.Map(Math.Clamp(p[i * steps + j], 0f, 1f)));
            image.DrawRect(gx - 1, gy - 1, panel + 2, panel + 2, Ink);
            if (!legible) continue;
            for (int k = 0; k < steps; k++)
            {
                string s = Printable(labels![k]);
                image.DrawText(gx + k * cell + (cell - BitmapFont.GlyphWidth) / 2, gy - margin + 1, s, Ink); // keys along the top
                image.DrawText(x0 + 1, gy + k * cell + (cell - BitmapFont.GlyphHeight) / 2, s, Ink);          // queries down the side
            }
        }
        return image;
    }

    // One glyph per position: a space as '_', a line break as '/', anything longer cut to its first character.
    private static string Printable(string label) => label switch
    {
        " " => "_",
        "\n" => "/",
        "" => "?",
        _ => label[..1],
    };
}
