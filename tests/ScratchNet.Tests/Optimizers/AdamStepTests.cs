using ScratchNet.Layers;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Optimizers;

/// <summary>
/// The multithreaded Adam step (<see cref="AdamStep"/>) against the plain scalar loop: the same bits
/// for every thread count, on odd sizes and across tensor boundaries.
/// </summary>
[Trait("Category", "Kernels")]
public class AdamStepTests
{
    private const float Lr = 1e-3f, B1 = 0.9f, B2 = 0.999f, Eps = 1e-8f;

    /// <summary>The specification: one element at a time, in float, AdamW decay first when asked.</summary>
    private static void ReferenceStep(float[] theta, float[] g, float[] m, float[] v, long t, float shrink)
    {
        float c1 = 1f - MathF.Pow(B1, t), c2 = 1f - MathF.Pow(B2, t);
        float stepSize = Lr / c1, invSqrtC2 = 1f / MathF.Sqrt(c2);
        for (int i = 0; i < theta.Length; i++)
        {
            if (shrink != 1f) theta[i] *= shrink;
            m[i] = B1 * m[i] + (1f - B1) * g[i];
            v[i] = B2 * v[i] + (1f - B2) * (g[i] * g[i]);
            theta[i] -= stepSize * (m[i] / (MathF.Sqrt(v[i]) * invSqrtC2 + Eps));
        }
    }

    private static (Parameter[] Ps, Tensor[] M, Tensor[] V) Make(int[] sizes, ulong seed)
    {
        var rng = new Rng(seed);
        var ps = sizes.Select((n, i) =>
        {
            var p = new Parameter($"p{i}", new Tensor(n));
            for (int j = 0; j < n; j++) { p.Value[j] = (float)rng.NextGaussian(); p.Gradient[j] = (float)rng.NextGaussian(); }
            return p;
        }).ToArray();
        return (ps, sizes.Select(n => new Tensor(n)).ToArray(), sizes.Select(n => new Tensor(n)).ToArray());
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 7, 33 })]
    [InlineData(new[] { 257, 0, 1, 7 })]
    [InlineData(new[] { 33, 40_001, 257, 20_000, 7 })] // big enough to split over 2 and 3 threads
    public void Every_thread_count_matches_the_scalar_reference_bit_for_bit(int[] sizes)
    {
        foreach (float shrink in new[] { 1f, 0.99f })
        {
            var (refPs, refM, refV) = Make(sizes, 5);
            var refArrays = refPs.Select(p => (p.Value.Span.ToArray(), p.Gradient.Span.ToArray())).ToArray();
            var mArr = refM.Select(t => t.Span.ToArray()).ToArray();
            var vArr = refV.Select(t => t.Span.ToArray()).ToArray();
            for (long t = 1; t <= 3; t++)
                for (int p = 0; p < sizes.Length; p++)
                    ReferenceStep(refArrays[p].Item1, refArrays[p].Item2, mArr[p], vArr[p], t, shrink);

            foreach (int threads in new[] { 1, 2, 3 })
            {
                var (ps, m, v) = Make(sizes, 5);
                var step = new AdamStep();
                for (long t = 1; t <= 3; t++) step.Run(ps, m, v, Lr, B1, B2, Eps, t, shrink, threads);
                for (int p = 0; p < sizes.Length; p++)
                {
                    Assert.Equal(refArrays[p].Item1, ps[p].Value.Span.ToArray());
                    Assert.Equal(mArr[p], m[p].Span.ToArray());
                    Assert.Equal(vArr[p], v[p].Span.ToArray());
                }
            }
        }
    }

    [Fact]
    public void AdamW_decays_only_parameters_that_decay()
    {
        var (ps, m, v) = Make([40_000, 40_000], 9);
        var bias = new Parameter("b", ps[1].Value) { Decays = false };
        bias.Gradient.Span.Clear();
        var before = bias.Value.Span.ToArray();
        var m0 = m[1];
        new AdamStep().Run([ps[0], bias], m, v, Lr, B1, B2, Eps, 1, 0.5f, 2);
        Assert.Equal(before, bias.Value.Span.ToArray()); // zero gradient, no decay: unchanged
        Assert.All(m0.Span.ToArray(), x => Assert.Equal(0f, x));
    }
}
