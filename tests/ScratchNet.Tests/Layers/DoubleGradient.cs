using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// Gradient checks in double precision. A reference forward pass written in double (see
/// <see cref="Reference"/>) gives the numeric gradient by central differences with h = 1e-6, free of
/// float32 blur; the layer's own float Backward gives the analytic gradient. A wrong factor or a
/// missing term shows as a relative error near 1; a correct backward as about 1e-6.
/// </summary>
internal static class DoubleGradient
{
    public const double Tolerance = 1e-3;
    private const double H = 1e-6;

    /// <summary>Reference forward: input (flat, row-major), parameter values (flat, in Parameters order) → output (flat).</summary>
    public delegate double[] LayerReference(double[] input, double[][] parameters);

    /// <summary>Max relative error per tensor: "input", then each parameter by name.</summary>
    public sealed record Result(Dictionary<string, double> Errors, double ForwardError)
    {
        public double Max => Errors.Values.Max();
        public override string ToString() => $"forward error {ForwardError:E2}; " + string.Join(", ", Errors.Select(kv => $"{kv.Key}: {kv.Value:E2}"));
    }

    /// <summary>
    /// Runs the layer forward on <paramref name="input"/>, back-propagates a random projection r
    /// (so the scalar is L = Σ r ⊙ y), and compares with d/dθ Σ r ⊙ reference(x, θ) in double.
    /// </summary>
    public static Result CheckLayer(Layer layer, Tensor input, LayerReference reference, bool training = true, ulong seed = 11)
    {
        var y = layer.Forward(input, training);
        var rng = new Rng(seed);
        var r = new Tensor(y.ShapeArray());
        for (int i = 0; i < r.Length; i++) r[i] = (float)rng.NextGaussian();
        var rd = ToDouble(r);

        var analyticInput = layer.Backward(r).Clone();
        var parameters = layer.Parameters;
        var analyticParams = parameters.Select(p => p.Gradient.Clone()).ToArray();

        double[] xd = ToDouble(input);
        double[][] pd = parameters.Select(p => ToDouble(p.Value)).ToArray();

        double forwardError = 0;
        var yRef = reference(xd, pd);
        if (yRef.Length != y.Length) throw new InvalidOperationException($"reference gives {yRef.Length} outputs, layer {y.Length}");
        for (int i = 0; i < y.Length; i++)
            forwardError = Math.Max(forwardError, Math.Abs(yRef[i] - y[i]) / Math.Max(1.0, Math.Abs(yRef[i])));

        double Scalar() => Dot(rd, reference(xd, pd));

        var errors = new Dictionary<string, double> { ["input"] = Compare(analyticInput, xd, Scalar) };
        for (int k = 0; k < parameters.Count; k++)
            errors[parameters[k].Name] = Compare(analyticParams[k], pd[k], Scalar);
        return new Result(errors, forwardError);
    }

    /// <summary>Compares a loss's Backward with the numeric gradient of a double reference loss.</summary>
    public static double CheckLoss(Loss loss, Tensor prediction, Tensor target, Func<double[], double[], double> reference)
    {
        loss.Forward(prediction, target);
        var analytic = loss.Backward().Clone();
        double[] p = ToDouble(prediction), t = ToDouble(target);
        return Compare(analytic, p, () => reference(p, t));
    }

    /// <summary>Max over i of |a_i - n_i| / max(|a_i|, |n_i|, 1e-3), n_i by central differences on values[i].</summary>
    public static double Compare(Tensor analytic, double[] values, Func<double> scalar)
    {
        double max = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double original = values[i];
            values[i] = original + H;
            double plus = scalar();
            values[i] = original - H;
            double minus = scalar();
            values[i] = original;
            double numeric = (plus - minus) / (2 * H);
            double a = analytic[i];
            double rel = Math.Abs(a - numeric) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(numeric)), 1e-3);
            max = Math.Max(max, double.IsNaN(rel) ? double.PositiveInfinity : rel);
        }
        return max;
    }

    public static double[] ToDouble(Tensor t)
    {
        var d = new double[t.Length];
        for (int i = 0; i < d.Length; i++) d[i] = t[i];
        return d;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>A tensor of N(0, scale²) values.</summary>
    public static Tensor Random(ulong seed, float scale, params int[] shape)
    {
        var rng = new Rng(seed);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t[i] = scale * (float)rng.NextGaussian();
        return t;
    }

    /// <summary>Like <see cref="Random"/>, but every value at least <paramref name="gap"/> away from 0 (for kinks at 0).</summary>
    public static Tensor RandomAwayFromZero(ulong seed, float scale, float gap, params int[] shape)
    {
        var t = Random(seed, scale, shape);
        for (int i = 0; i < t.Length; i++) t[i] = t[i] >= 0 ? t[i] + gap : t[i] - gap;
        return t;
    }
}
