using ILGPU;
using ILGPU.Runtime;
using ScratchNet.Gpu;
using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// Every kernel of the dense path on ILGPU's CPU accelerator against the CPU library, on odd sizes:
/// 0 where meaningful, 1, 7, 33, and sizes that are not multiples of the tile (4 on the CPU
/// accelerator). Float sums in another order than the host's differ in the last bits, so sums are
/// compared with a tolerance scaled by the magnitude of their terms; element-wise kernels that do
/// the host's float operations in the host's order are compared for equal bits.
/// </summary>
[Trait("Category", "Kernels")]
public class GpuDenseKernelTests(CpuAcceleratorFixture fixture) : IClassFixture<CpuAcceleratorFixture>
{
    private readonly GpuDevice _device = fixture.Device;

    private static readonly (int M, int N, int K)[] Shapes =
        [(0, 7, 5), (7, 0, 5), (5, 7, 0), (1, 1, 1), (7, 7, 7), (33, 7, 9), (9, 33, 7), (6, 10, 13)];

    public static IEnumerable<object[]> GemmCases()
    {
        foreach (var (m, n, k) in Shapes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    yield return [m, n, k, transA, transB];
    }

    [Theory]
    [MemberData(nameof(GemmCases))]
    public void MatrixProductMatchesTheReference(int m, int n, int k, bool transA, bool transB)
    {
        var rng = new Rng((ulong)(m * 1009 + n * 31 + k));
        foreach (var (alpha, beta, pad) in new[] { (1f, 0f, 0), (0.5f, -0.75f, 3) })
        {
            var (a, lda) = RandomMatrix(rng, transA ? k : m, transA ? m : k, pad);
            var (b, ldb) = RandomMatrix(rng, transB ? n : k, transB ? k : n, pad);
            var (c, ldc) = RandomMatrix(rng, m, n, pad);
            if (beta == 0f) Array.Fill(c, float.NaN); // β = 0 ignores the old C, NaN included
            var expected = (float[])c.Clone();
            Gemm.Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);

            using var da = Upload(a);
            using var db = Upload(b);
            var got = Multiply(true, transA, transB, m, n, k, alpha, da, lda, db, ldb, beta, Upload(c), ldc);
            // The direct form sums each element's terms in the tiled form's order: the same bits.
            Assert.Equal(got, Multiply(false, transA, transB, m, n, k, alpha, da, lda, db, ldb, beta, Upload(c), ldc));

            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double magnitude = 0;
                    for (int p = 0; p < k; p++)
                        magnitude += Math.Abs(transA ? a[p * lda + i] : a[i * lda + p]) * Math.Abs(transB ? b[j * ldb + p] : b[p * ldb + j]);
                    double tolerance = 1e-5 * (Math.Abs(alpha) * magnitude + (beta == 0 ? 0 : Math.Abs(beta * c[i * ldc + j]))) + 1e-30;
                    Assert.False(Math.Abs(got[i * ldc + j] - expected[i * ldc + j]) > tolerance,
                        $"C[{i},{j}] = {got[i * ldc + j]}, reference {expected[i * ldc + j]} (tiled, m={m} n={n} k={k} transA={transA} transB={transB} α={alpha} β={beta})");
                }
                for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                    Assert.Equal(c[i * ldc + j], got[i * ldc + j]); // the stride gap is not written
            }
        }
    }

    private float[] Multiply(bool tiled, bool transA, bool transB, int m, int n, int k, float alpha, DeviceTensor a, int lda, DeviceTensor b, int ldb, float beta, DeviceTensor c, int ldc)
    {
        using (c)
        {
            bool before = _device.MatrixProduct.Tiled;
            _device.MatrixProduct.Tiled = tiled;
            try { _device.MatrixProduct.Multiply(transA, transB, m, n, k, alpha, a.View, lda, b.View, ldb, beta, c.View, ldc); }
            finally { _device.MatrixProduct.Tiled = before; }
            return Download(c, c.Length);
        }
    }

    [Fact]
    public void MatrixProductWithAlphaZeroReadsNeitherOperand()
    {
        using var a = Upload(Enumerable.Repeat(float.NaN, 12).ToArray());
        using var b = Upload(Enumerable.Repeat(float.NaN, 12).ToArray());
        using var c = Upload([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        _device.MatrixProduct.Multiply(false, false, 3, 3, 4, 0f, a.View, 4, b.View, 3, 2f, c.View, 3);
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12, 14, 16, 18 }, Download(c, 9));
    }

    [Fact]
    public void MatrixProductRefusesAViewTooShort()
    {
        using var a = Upload(new float[5]);
        using var b = Upload(new float[6]);
        using var c = Upload(new float[4]);
        var e = Assert.Throws<ArgumentException>(() => _device.MatrixProduct.Multiply(false, false, 2, 2, 3, 1f, a.View, 3, b.View, 2, 0f, c.View, 2));
        Assert.Contains("A needs 6 values", e.Message);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 1)]
    [InlineData(7, 7)]
    [InlineData(33, 9)]
    public void BiasAddAndColumnSumsMatchTheHost(int m, int n)
    {
        var rng = new Rng((ulong)(m * 100 + n));
        var y = Random(rng, m * n);
        var bias = Random(rng, n);
        var expected = new Tensor(m, n);
        y.CopyTo(expected.Span);
        if (m > 0) TensorMath.AddRowVector(expected, bias);
        using var dy = Upload(y);
        using var dbias = Upload(bias);
        _device.Bias.AddRowVector(dy.View, m, n, dbias.View);
        Assert.Equal(expected.Span.ToArray(), Download(dy, m * n)); // one float add per element: the same bits

        var sums = new float[n];
        TensorMath.SumOverRows(expected, sums);
        using var dsums = Upload(Enumerable.Repeat(float.NaN, n).ToArray());
        _device.Bias.ColumnSums(dy.View, m, n, dsums.View);
        Assert.Equal(sums, Download(dsums, n)); // the host's order, row by row in float: the same bits
    }

    public static IEnumerable<object[]> ActivationCases()
    {
        foreach (var kind in Enum.GetValues<ActivationKind>())
            foreach (int count in new[] { 0, 1, 7, 33 })
                yield return [(int)kind, count];
    }

    [Theory]
    [MemberData(nameof(ActivationCases))]
    public void ActivationsMatchTheHostLayers(int kindIndex, int count)
    {
        var kind = (ActivationKind)kindIndex;
        Layer layer = kind switch
        {
            ActivationKind.ReLU => new ReLU(),
            ActivationKind.LeakyReLU => new LeakyReLU(0.1f),
            ActivationKind.Sigmoid => new Sigmoid(),
            ActivationKind.Tanh => new Tanh(),
            ActivationKind.GELU => new GELU(),
            _ => new Identity(),
        };
        float alpha = layer is LeakyReLU leaky ? leaky.Alpha : 0f;
        var rng = new Rng((ulong)count + 7);
        var x = Random(rng, count, scale: 4f);
        if (count > 2) x[1] = 0f; // the kink of ReLU and LeakyReLU
        var dy = Random(rng, count);
        layer.Build([Math.Max(count, 1)], new Rng(1));
        var input = new Tensor(1, Math.Max(count, 1));
        x.CopyTo(input.Span);
        var hostY = layer.Forward(input, training: true).Span[..count].ToArray();
        var gradOut = new Tensor(1, Math.Max(count, 1));
        dy.CopyTo(gradOut.Span);
        var hostDx = layer.Backward(gradOut).Span[..count].ToArray();

        using var dx = Upload(x);
        using var dyv = Upload(hostY);
        using var y = Upload(new float[count]);
        using var g = Upload(dy);
        _device.Activations.Forward(kind, alpha, dx.View, y.View, count);
        var deviceY = Download(y, count);
        // The host's vector paths approximate exp and tanh with their own polynomials: a few ulps apart.
        AssertClose(hostY, deviceY, 2e-6f, $"{kind} forward");
        _device.Activations.Backward(kind, alpha, dx.View, y.View, g.View, g.View, count);
        AssertClose(hostDx, Download(g, count), 2e-6f, $"{kind} backward");
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(7, 10)]
    [InlineData(33, 7)]
    [InlineData(5, 1)]
    public void SoftmaxCrossEntropyMatchesTheHostLoss(int batch, int classes)
    {
        var rng = new Rng((ulong)(batch * 10 + classes));
        var logits = new Tensor(batch, classes);
        Random(rng, batch * classes, scale: 6f).CopyTo(logits.Span);
        var targets = new Tensor(batch);
        for (int i = 0; i < batch; i++) targets.Span[i] = (int)(rng.NextFloat() * classes);
        var loss = new SoftmaxCrossEntropy();
        float hostLoss = loss.Forward(logits, targets);
        var hostGrad = loss.Backward().Span.ToArray();
        int hostCorrect = 0;
        for (int i = 0; i < batch; i++)
        {
            var row = logits.Row(i);
            int best = classes == 1 ? (row[0] >= 0f ? 1 : 0) : row.IndexOf(TensorMath.Max(row));
            if (best == (int)targets.Span[i]) hostCorrect++;
        }

        using var z = Upload(logits.Span.ToArray());
        using var t = Upload(targets.Span.ToArray());
        using var grad = Upload(new float[batch * classes]);
        using var rowLoss = _device.Accelerator.Allocate1D<double>(batch);
        using var rowCorrect = _device.Accelerator.Allocate1D<int>(batch);
        using var outcome = _device.Accelerator.Allocate1D<double>(2);
        _device.SoftmaxCrossEntropy.Run(z.View, t.View, batch, classes, 0f, grad.View, rowLoss.View, rowCorrect.View, outcome.View);
        var values = new double[2];
        outcome.View.CopyToCPU(values);
        Assert.Equal(hostLoss, (float)values[0], 1e-5f * Math.Max(1f, hostLoss));
        Assert.Equal(hostCorrect, (int)values[1]);
        AssertClose(hostGrad, Download(grad, batch * classes), 1e-6f, "gradient");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public void OptimizerUpdatesMatchTheHostOptimizers(int size)
    {
        foreach (var name in new[] { "sgd", "momentum", "nesterov", "adam", "adamw" })
        {
            var rng = new Rng((ulong)size);
            var hostOptimizer = OptimizerFactory.Create(name, 0.01f, weightDecay: name == "adamw" ? 0.1f : null);
            var weight = new Parameter("w", new Tensor(size));
            var bias = new Parameter("b", new Tensor(size)) { Decays = false };
            Random(rng, size).CopyTo(weight.Value.Span);
            Random(rng, size).CopyTo(bias.Value.Span);
            var theta = weight.Value.Span.ToArray().Concat(bias.Value.Span.ToArray()).ToArray();
            var decays = Enumerable.Repeat(1f, size).Concat(Enumerable.Repeat(0f, size)).ToArray();
            using var dTheta = Upload(theta);
            using var dSlot0 = Upload(new float[2 * size]);
            using var dSlot1 = Upload(new float[2 * size]);
            using var dDecays = Upload(decays);
            for (int step = 1; step <= 3; step++)
            {
                var g = Random(rng, 2 * size);
                g.AsSpan(0, size).CopyTo(weight.Gradient.Span);
                g.AsSpan(size).CopyTo(bias.Gradient.Span);
                hostOptimizer.Step([weight, bias]);
                using var dG = Upload(g);
                var k = _device.Optimizers;
                switch (hostOptimizer)
                {
                    case Sgd: k.Sgd(dTheta.View, dG.View, 2 * size, 0.01f); break;
                    case Momentum mo: k.Momentum(dTheta.View, dSlot0.View, dG.View, 2 * size, 0.01f, mo.MomentumCoefficient, mo.Nesterov); break;
                    case Adam ad: k.Adam(dTheta.View, dSlot0.View, dSlot1.View, dG.View, dDecays.View, 2 * size, OptimizerKernels.AdamConstants.For(0.01f, ad.Beta1, ad.Beta2, ad.Epsilon, step, 1f)); break;
                    case AdamW aw: k.Adam(dTheta.View, dSlot0.View, dSlot1.View, dG.View, dDecays.View, 2 * size, OptimizerKernels.AdamConstants.For(0.01f, aw.Beta1, aw.Beta2, aw.Epsilon, step, 1f - 0.01f * aw.WeightDecay)); break;
                }
            }
            var expected = weight.Value.Span.ToArray().Concat(bias.Value.Span.ToArray()).ToArray();
            // The host's update rules are vectorised with the same float operations in the same order.
            AssertClose(expected, Download(dTheta, 2 * size), 1e-7f, name);
        }
    }

    [Fact]
    public void BatchGatherCopiesTheRowsOfTheOrder()
    {
        const int n = 7, width = 5;
        var data = Enumerable.Range(0, n * width).Select(i => (float)i).ToArray();
        var targets = Enumerable.Range(0, n).Select(i => (float)(i % 3)).ToArray();
        int[] order = [6, 2, 0, 5, 1, 3, 4];
        using var dData = Upload(data);
        using var dTargets = Upload(targets);
        using var dOrder = _device.Accelerator.Allocate1D(order);
        using var x = Upload(new float[3 * width]);
        using var y = Upload(new float[3]);
        _device.Gather.Run(dData.View, dTargets.View, width, dOrder.View, 4, 3, x.View, y.View);
        var expectedX = new[] { 1, 3, 4 }.SelectMany(r => data.Skip(r * width).Take(width)).ToArray();
        Assert.Equal(expectedX, Download(x, 3 * width));
        Assert.Equal(new[] { targets[1], targets[3], targets[4] }, Download(y, 3));
    }

    [Fact]
    public void DeviceTensorRoundTripsItsValuesAndShape()
    {
        var t = new Tensor(3, 7);
        Random(new Rng(3), 21).CopyTo(t.Span);
        using var d = DeviceTensor.Upload(_device, t);
        var back = d.Download();
        Assert.Equal(t.ShapeArray(), back.ShapeArray());
        Assert.Equal(t.Span.ToArray(), back.Span.ToArray());
        using var empty = new DeviceTensor(_device, 0, 4);
        Assert.Equal(0, empty.Download().Length);
    }

    private static void AssertClose(float[] expected, float[] actual, float relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float tolerance = relative * Math.Max(1f, Math.Abs(expected[i]));
            Assert.False(!(Math.Abs(expected[i] - actual[i]) <= tolerance), $"{what}[{i}]: device {actual[i]:R}, host {expected[i]:R}");
        }
    }

    private DeviceTensor Upload(float[] values)
    {
        var t = new DeviceTensor(_device, values.Length);
        t.CopyFrom(values);
        return t;
    }

    private static float[] Download(DeviceTensor t, int count)
    {
        var values = new float[t.Length];
        t.CopyTo(values);
        return values[..count];
    }

    private static float[] Random(Rng rng, int count, float scale = 1f)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = scale * (2f * rng.NextFloat() - 1f);
        return values;
    }

    private static (float[] Values, int Stride) RandomMatrix(Rng rng, int rows, int cols, int pad)
    {
        int stride = cols + pad;
        return (Random(rng, Math.Max(0, rows * stride - pad)), stride);
    }
}
