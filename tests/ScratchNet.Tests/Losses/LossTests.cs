using ScratchNet.Losses;
using ScratchNet.Tensors;
using ScratchNet.Tests.Layers;

namespace ScratchNet.Tests.Losses;

public class LossTests
{
    [Fact]
    public void MeanSquaredErrorIsTheMeanOverAllElements()
    {
        var loss = new MeanSquaredError();
        var p = Tensor.FromArray([1, 2, 3, 4], 2, 2);
        var t = Tensor.FromArray([1, 0, 0, 4], 2, 2);
        // (0 + 4 + 9 + 0) / 4
        Assert.Equal(3.25f, loss.Forward(p, t), 6);
        // 2 (p - t) / 4
        Assert.Equal([0f, 1f, 1.5f, 0f], loss.Backward().ToArray());
    }

    [Fact]
    public void MeanSquaredErrorAcceptsBatchOrBatchByOneTargets()
    {
        var loss = new MeanSquaredError();
        Assert.Equal(1f, loss.Forward(Tensor.FromArray([1, 2], 2, 1), Tensor.FromArray([0, 3], 2)));
        var ex = Assert.Throws<ShapeMismatchException>(() => loss.Forward(new Tensor(2, 2), new Tensor(3)));
        Assert.Contains("(2, 2)", ex.Message);
        Assert.Contains("(3)", ex.Message);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsHandValues()
    {
        var loss = new BinaryCrossEntropyWithLogits();
        // z = 0: log 2 whatever y; z = 2, y = 1: log(1 + e^-2); z = -3, y = 0: log(1 + e^-3)
        var z = Tensor.FromArray([0, 2, -3], 3);
        var y = Tensor.FromArray([1, 1, 0], 3);
        double expected = (Math.Log(2) + Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-3))) / 3;
        Assert.Equal(expected, loss.Forward(z, y), 6);
        var g = loss.Backward();
        Assert.Equal((0.5 - 1) / 3, g[0], 6);
        Assert.Equal((Reference.Sigmoid(2) - 1) / 3, g[1], 6);
        Assert.Equal(Reference.Sigmoid(-3) / 3, g[2], 6);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsIsStableForHugeLogits()
    {
        var loss = new BinaryCrossEntropyWithLogits();
        float l = loss.Forward(Tensor.FromArray([1000f, -1000f], 2), Tensor.FromArray([0f, 1f], 2));
        Assert.Equal(1000f, l, 3);
        Assert.Equal([0.5f, -0.5f], loss.Backward().ToArray());
    }

    [Fact]
    public void SoftmaxCrossEntropyHandValues()
    {
        var loss = new SoftmaxCrossEntropy();
        // Row 0: equal logits over 4 classes: -log(1/4). Row 1: logits (0, ln 3, 0, 0): p(class 1) = 3/6.
        var z = Tensor.FromArray([1, 1, 1, 1, 0, MathF.Log(3), 0, 0], 2, 4);
        var t = Tensor.FromArray([2, 1], 2);
        Assert.Equal((Math.Log(4) + Math.Log(2)) / 2, loss.Forward(z, t), 6);
        var g = loss.Backward().ToArray();
        float[] expected = [0.125f, 0.125f, (0.25f - 1) / 2, 0.125f, 1f / 12, (0.5f - 1) / 2, 1f / 12, 1f / 12];
        for (int i = 0; i < 8; i++) Assert.Equal(expected[i], g[i], 6);
    }

    [Fact]
    public void SoftmaxCrossEntropyIsStableForHugeLogits()
    {
        var loss = new SoftmaxCrossEntropy();
        float l = loss.Forward(Tensor.FromArray([1000f, 0f, -1000f], 1, 3), Tensor.FromArray([1f], 1));
        Assert.Equal(1000f, l, 3);
        Assert.All(loss.Backward().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(10f)]
    [InlineData(-2f)] // -1 is Targets.Ignored
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void SoftmaxCrossEntropyRejectsBadTargets(float bad)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new SoftmaxCrossEntropy().Forward(new Tensor(2, 10), Tensor.FromArray([0f, bad], 2)));
        Assert.Contains("target 1", ex.Message);
        Assert.Contains("[0, 10)", ex.Message);
    }

    [Fact]
    public void SoftmaxCrossEntropyNamesShapesOnMismatch()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(4, 10), new Tensor(3)));
        Assert.Contains("(4, 10)", ex.Message);
        Assert.Contains("(3)", ex.Message);
    }

    [Fact]
    public void MeanSquaredErrorGradient() =>
        AssertGradient(new MeanSquaredError(), DoubleGradient.Random(1, 1f, 5, 3), DoubleGradient.Random(2, 1f, 5, 3), Reference.MeanSquaredError);

    [Fact]
    public void BinaryCrossEntropyWithLogitsGradient()
    {
        var target = DoubleGradient.Random(3, 1f, 4, 3);
        for (int i = 0; i < target.Length; i++) target[i] = i % 3 == 0 ? 0.3f : (target[i] > 0 ? 1f : 0f);
        AssertGradient(new BinaryCrossEntropyWithLogits(), DoubleGradient.Random(4, 2f, 4, 3), target, Reference.BinaryCrossEntropyWithLogits);
    }

    [Fact]
    public void SoftmaxCrossEntropyGradient() =>
        AssertGradient(new SoftmaxCrossEntropy(), DoubleGradient.Random(5, 2f, 6, 4), Tensor.FromArray([0, 3, 1, 1, 2, 0], 6),
            (z, t) => Reference.SoftmaxCrossEntropy(z, t, 4));

    /// <summary>Class weights: every row's loss times its true class's weight, checked against a double reference and its numerical gradient.</summary>
    [Fact]
    public void WeightedSoftmaxCrossEntropyGradient()
    {
        float[] w = [0.5f, 2f, 1.25f, 3f];
        var t = Tensor.FromArray([0, 3, 1, 1, 2, 0], 6);
        AssertGradient(new SoftmaxCrossEntropy { ClassWeights = w }, DoubleGradient.Random(5, 2f, 6, 4), t, (z, target) =>
        {
            double sum = 0;
            for (int b = 0; b < target.Length; b++)
                sum += w[(int)target[b]] * RowLoss(z, b, (int)target[b]);
            return sum / target.Length;
        });

        static double RowLoss(double[] z, int b, int t)
        {
            var row = z[(b * 4)..(b * 4 + 4)];
            double max = row.Max();
            return Math.Log(row.Sum(v => Math.Exp(v - max))) - (row[t] - max);
        }
    }

    /// <summary>(w₀, w₁) weights of a binary cross-entropy, 0/1 and soft targets, against a double reference and its numerical gradient.</summary>
    [Fact]
    public void WeightedBinaryCrossEntropyWithLogitsGradient()
    {
        float[] w = [0.7f, 2.5f];
        var target = DoubleGradient.Random(3, 1f, 4, 3);
        for (int i = 0; i < target.Length; i++) target[i] = i % 3 == 0 ? 0.3f : (target[i] > 0 ? 1f : 0f);
        AssertGradient(new BinaryCrossEntropyWithLogits { ClassWeights = w }, DoubleGradient.Random(4, 2f, 4, 3), target, (z, y) =>
            z.Select((v, i) => ((1 - y[i]) * w[0] + y[i] * w[1]) * -(y[i] * Math.Log(Sigmoid(v)) + (1 - y[i]) * Math.Log(1 - Sigmoid(v)))).Sum() / z.Length);

        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    }

    /// <summary>scikit-learn's compute_class_weight("balanced", classes=[0, 1, 2], y) for counts 6, 3, 1: n / (k·n_c).</summary>
    [Fact]
    public void BalancedWeightsAreNOverKTimesTheClassCount()
    {
        var w = ClassWeighting.Balanced([6, 3, 1]);
        Assert.Equal([10.0 / 18, 10.0 / 9, 10.0 / 3], w.Select(v => (double)v).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy { ClassWeights = [1f, 0f] });
        Assert.Throws<ArgumentException>(() => new BinaryCrossEntropyWithLogits { ClassWeights = [1f, 2f, 3f] });
        Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy { ClassWeights = [1f, 2f] }.Forward(Tensor.FromArray([1f, 2f, 3f], 1, 3), Tensor.FromArray([0f], 1)));
    }

    [Fact]
    public void LossWithHalvedGradientIsCaught()
    {
        double error = DoubleGradient.CheckLoss(new HalvedGradient(new SoftmaxCrossEntropy()), DoubleGradient.Random(5, 2f, 6, 4),
            Tensor.FromArray([0, 3, 1, 1, 2, 0], 6), (z, t) => Reference.SoftmaxCrossEntropy(z, t, 4));
        Assert.True(error > 0.3, $"error {error}");
    }

    [Fact]
    public void MeanSquaredErrorWithoutTheFactorTwoIsCaught()
    {
        double error = DoubleGradient.CheckLoss(new HalvedGradient(new MeanSquaredError()), DoubleGradient.Random(1, 1f, 5, 3),
            DoubleGradient.Random(2, 1f, 5, 3), Reference.MeanSquaredError);
        Assert.True(error > 0.3, $"error {error}");
    }

    [Theory]
    [InlineData("mse", typeof(MeanSquaredError))]
    [InlineData("MeanSquaredError", typeof(MeanSquaredError))]
    [InlineData("bce", typeof(BinaryCrossEntropyWithLogits))]
    [InlineData("SoftmaxCrossEntropy", typeof(SoftmaxCrossEntropy))]
    [InlineData("crossentropy", typeof(SoftmaxCrossEntropy))]
    public void FactoryCreatesByName(string name, Type type)
    {
        var loss = LossFactory.Create(name);
        Assert.IsType(type, loss);
        Assert.IsType(type, LossFactory.Create(loss.Name));
    }

    [Fact]
    public void FactoryRejectsUnknownNames() =>
        Assert.Contains("Unknown loss 'hinge'", Assert.Throws<ArgumentException>(() => LossFactory.Create("hinge")).Message);

    /// <summary>Summed per sample: each row's pixels summed, the rows averaged; the gradient of that in double.</summary>
    [Fact]
    public void BinaryCrossEntropyWithLogitsSummedPerSampleGradient()
    {
        var target = DoubleGradient.Random(13, 1f, 3, 7);
        for (int i = 0; i < target.Length; i++) target[i] = i % 4 == 0 ? 0.25f : (target[i] > 0 ? 1f : 0f);
        AssertGradient(new BinaryCrossEntropyWithLogits(sumPerSample: true), DoubleGradient.Random(14, 2f, 3, 7), target,
            (z, y) => Reference.BinaryCrossEntropyWithLogits(z, y) * z.Length / 3);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsSummedPerSampleHandValuesAndName()
    {
        var loss = new BinaryCrossEntropyWithLogits(sumPerSample: true);
        // Two rows of two pixels, all logits 0: each pixel log 2, each row 2 log 2, the mean of the rows 2 log 2.
        Assert.Equal(2 * Math.Log(2), loss.Forward(new Tensor(2, 2), Tensor.FromArray([1, 0, 1, 1], 2, 2)), 6);
        Assert.Equal([-0.25f, 0.25f, -0.25f, -0.25f], loss.Backward().ToArray());
        Assert.Equal("BinaryCrossEntropyWithLogitsSum", loss.Name);
        Assert.True(LossFactory.Create(loss.Name) is BinaryCrossEntropyWithLogits { SumPerSample: true });
        Assert.True(LossFactory.Create("bce") is BinaryCrossEntropyWithLogits { SumPerSample: false });
    }

    /// <summary>The vector path against its specification, the scalar loop, on odd sizes and large logits.</summary>
    [Trait("Category", "Kernels")]
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(257)]
    public void BinaryCrossEntropyWithLogitsVectorMatchesTheScalarLoop(int n)
    {
        var rng = new Rng((ulong)n + 1);
        var z = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++) { z[i] = i % 11 == 0 ? rng.NextUniform(-60f, 60f) : rng.NextUniform(-6f, 6f); y[i] = i % 3 == 0 ? rng.NextFloat() : i % 2; }
        float[] gv = new float[n], gs = new float[n];
        double vector = BinaryCrossEntropyWithLogits.SumVector(z, y, gv, 0.25);
        double scalar = BinaryCrossEntropyWithLogits.SumScalar(z, y, gs, 0.25, null);
        Assert.InRange(vector - scalar, -1e-9 * Math.Max(1, scalar), 1e-9 * Math.Max(1, scalar));
        for (int i = 0; i < n; i++) Assert.InRange(gv[i] - gs[i], -1e-7f, 1e-7f);
    }

    private static void AssertGradient(Loss loss, Tensor prediction, Tensor target, Func<double[], double[], double> reference)
    {
        float value = loss.Forward(prediction, target);
        Assert.Equal(reference(DoubleGradient.ToDouble(prediction), DoubleGradient.ToDouble(target)), value, 5);
        double error = DoubleGradient.CheckLoss(loss, prediction, target, reference);
        Assert.True(error < DoubleGradient.Tolerance, $"relative error {error}");
    }

    private sealed class HalvedGradient(Loss inner) : Loss
    {
        private Tensor? _g;
        public override float Forward(Tensor prediction, Tensor target) => inner.Forward(prediction, target);
        public override Tensor Backward()
        {
            var g = inner.Backward();
            _g ??= new Tensor(g.ShapeArray());
            TensorMath.Scale(g.Span, 0.5f, _g.Span);
            return _g;
        }
    }
}
