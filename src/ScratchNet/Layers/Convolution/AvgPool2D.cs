using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Average pooling over size x size windows of each channel:
/// <c>y[n, c, oh, ow] = (1/size²) Σ_{i,j} x[n, c, oh·s + i, ow·s + j]</c> (no padding; output side
/// <c>(in − size) / s + 1</c>). Backward spreads each dy evenly: dx += dy / size² over its window.
/// </summary>
public sealed class AvgPool2D : Layer
{
    private ConvGeometry _g;
    private int _batch = -1;
    private float[] _outputData = [], _gradInputData = [];
    private Tensor? _output, _gradInput;

    /// <summary>Average pooling over <paramref name="size"/> x <paramref name="size"/> windows, moved by <paramref name="stride"/> (default: size).</summary>
    public AvgPool2D(int size, int? stride = null)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"AvgPool2D: size must be at least 1 (got {size}).");
        int s = stride ?? size;
        if (s < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"AvgPool2D: stride must be at least 1 (got {s}).");
        Size = size;
        Stride = s;
    }

    /// <summary>Window side.</summary>
    public int Size { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new("AvgPool2D", new Dictionary<string, string>
    {
        ["size"] = Size.ToString(CultureInfo.InvariantCulture),
        ["stride"] = Stride.ToString(CultureInfo.InvariantCulture),
    });

    /// <summary>Rebuilds from a spec; stride defaults to size.</summary>
    public static AvgPool2D FromSpec(LayerSpec spec) =>
        new(spec.GetInt("size"), spec.Settings.ContainsKey("stride") ? spec.GetInt("stride") : null);

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        var g = ConvGeometry.From(inputShape, Size, Stride, 0, "AvgPool2D");
        return [g.Channels, g.OutHeight, g.OutWidth];
    }

    /// <summary>No parameters; size · size comparisons or additions per output value.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        long outputs = LayerCost.Elements(OutputShape(inputShape));
        return new LayerCost(0, outputs, LayerCost.Times(outputs, LayerCost.Times(Size, Size)));
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        _g = ConvGeometry.From(inputShape, Size, Stride, 0, "AvgPool2D");
        _batch = -1;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        int batch = _g.BatchOf(input, "AvgPool2D");
        var output = ConvBuffers.View(ref _outputData, ref _output, batch, [_g.Channels, _g.OutHeight, _g.OutWidth]);
        _batch = batch;
        ConvParallel.For(batch * _g.Channels, _g.InPlane, (this, input, output), static (s, start, end) =>
        {
            var self = s.Item1;
            var g = self._g;
            int size = self.Size, st = self.Stride, outW = g.OutWidth;
            float scale = 1f / (size * size);
            var x = s.input.Span;
            var y = s.output.Span;
            for (int plane = start; plane < end; plane++)
            {
                int inBase = plane * g.InPlane, outBase = plane * g.OutPlane;
                for (int oh = 0; oh < g.OutHeight; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        float sum = 0;
                        for (int i = 0; i < size; i++)
                        {
                            int row = inBase + (oh * st + i) * g.Width + ow * st;
                            for (int j = 0; j < size; j++) sum += x[row + j];
                        }
                        y[outBase + oh * outW + ow] = sum * scale;
                    }
            }
        });
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("AvgPool2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        var gradInput = ConvBuffers.View(ref _gradInputData, ref _gradInput, _batch, InputShape);
        ConvParallel.For(_batch * _g.Channels, _g.InPlane, (this, gradOutput, gradInput), static (s, start, end) =>
        {
            var self = s.Item1;
            var g = self._g;
            int size = self.Size, st = self.Stride, outW = g.OutWidth;
            float scale = 1f / (size * size);
            var gx = s.gradInput.Span;
            var gy = s.gradOutput.Span;
            gx.Slice(start * g.InPlane, (end - start) * g.InPlane).Clear();
            for (int plane = start; plane < end; plane++)
            {
                int inBase = plane * g.InPlane, outBase = plane * g.OutPlane;
                for (int oh = 0; oh < g.OutHeight; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        float share = gy[outBase + oh * outW + ow] * scale;
                        for (int i = 0; i < size; i++)
                        {
                            int row = inBase + (oh * st + i) * g.Width + ow * st;
                            for (int j = 0; j < size; j++) gx[row + j] += share;
                        }
                    }
            }
        });
        return gradInput;
    }
}
