using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;
using ScratchNet.Tests.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// Each activation's operators, vector forms against the scalar Invoke (the specification, the
/// formula in the layer's XML doc), on odd sizes with the special values where they matter:
/// the same bits where the forms use exact operations, within the number of ulps the layer's docs
/// state where they use the vector exponential (Sigmoid, ELU) or Tanh's series. (A sweep of
/// every 7th float up to 100 found at most 2 ulps for Tanh and 4 for Sigmoid; random inputs found a
/// 3-ulp Tanh.) GELU's vector forms are float32 beside a double specification: GeluFastFormTests.
/// </summary>
[Trait("Category", "Kernels")]
public class ActivationOperatorTests
{
    public static TheoryData<int> Sizes => OperatorChecks.SizeData();

    private static readonly float[] Specials = [0f, -0f, 1e-30f, -1e-30f, 1e-8f, -1e-8f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 50f, -50f, 100f, -100f];

    private static float[] Inputs(int n, ulong seed) => OperatorChecks.WithSpecials(n, seed, 6f, Specials);

    private static float[] Bits(uint first, uint last, uint step)
    {
        var list = new List<float>();
        for (ulong b = first; b <= last; b += step)
        {
            list.Add(BitConverter.UInt32BitsToSingle((uint)b));
            list.Add(-BitConverter.UInt32BitsToSingle((uint)b));
        }
        return list.ToArray();
    }

    /// <summary>Every 4001st float from 1.2e-38 to 3.4e38, both signs: a million values.</summary>
    private static readonly float[] Sweep = Bits(0x00800000, 0x7F7FFFFF, 4001);

    [Theory, MemberData(nameof(Sizes))]
    public void ReLU(int n)
    {
        var x = Inputs(n, 1);
        OperatorChecks.Unary(new ReLU.Function(), x, 0, "ReLU");
        OperatorChecks.Binary(new ReLU.Gradient(), x, Random(n, 2), 0, "ReLU gradient");
    }

    [Fact]
    public void ReLUKeepsNaNAndTakesZeroSlopeAtTheKink()
    {
        var op = new ReLU.Function();
        var x = Enumerable.Repeat(float.NaN, 20).Concat([0f, -0f, -1f, 2f]).ToArray();
        var y = new float[x.Length];
        Vectorized.Transform(op, x, y);
        Assert.All(y[..20], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(0, BitConverter.SingleToInt32Bits(y[21])); // max(−0, 0) = +0
        Assert.Equal([0f, 0f, 0f, 2f], y[20..]);
        Assert.Equal(0f, new ReLU.Gradient().Invoke(0f, 5f));
        Assert.Equal(0f, new ReLU.Gradient().Invoke(float.NaN, 5f));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void LeakyReLU(int n)
    {
        var x = Inputs(n, 3);
        OperatorChecks.Unary(new LeakyReLU.Function(0.1f), x, 0, "LeakyReLU");
        OperatorChecks.Binary(new LeakyReLU.Gradient(0.1f), x, Random(n, 4), 0, "LeakyReLU gradient");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Step(int n) => OperatorChecks.Unary(new Step.Function(), Inputs(n, 5), 0, "Step");

    [Theory, MemberData(nameof(Sizes))]
    public void ELU(int n)
    {
        const float alpha = 1.5f;
        var x = Inputs(n, 6);
        // α (eˣ − 1): the 2 ulps of eˣ (at most 2⁻²² for eˣ ≤ 1) stay absolute after the subtraction.
        OperatorChecks.Unary(new ELU.Function(alpha), x, y => alpha * 2.4e-7 + Ulps(y, 1), "ELU");
        var y = x.Select(v => new ELU.Function(alpha).Invoke(v)).ToArray();
        OperatorChecks.Ternary(new ELU.Gradient(alpha), x, y, Random(n, 7), 0, "ELU gradient");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Sigmoid(int n)
    {
        var x = Inputs(n, 8);
        OperatorChecks.Unary(new Sigmoid.Function(), x, 4, "Sigmoid");
        var y = x.Select(v => new Sigmoid.Function().Invoke(v)).ToArray();
        OperatorChecks.Binary(new Sigmoid.Gradient(), y, Random(n, 9), 0, "Sigmoid gradient");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Tanh(int n)
    {
        var x = Inputs(n, 10);
        OperatorChecks.Unary(new Tanh.Function(), x, 3, "Tanh");
        var y = x.Select(MathF.Tanh).ToArray();
        OperatorChecks.Binary(new Tanh.Gradient(), y, Random(n, 11), 0, "Tanh gradient");
    }

    // GELU's vector forms compute in float32, its scalar form in double: GeluFastFormTests holds them to their bound.

    [Theory, MemberData(nameof(Sizes))]
    public void SiLU(int n)
    {
        var x = Inputs(n, 30);
        OperatorChecks.Unary(new SiLU.Function(), x, 1, "SiLU");
        OperatorChecks.Binary(new SiLU.Gradient(), x, Random(n, 31), 1, "SiLU gradient");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Softplus(int n)
    {
        var x = Inputs(n, 32);
        OperatorChecks.Unary(new Softplus.Function(), x, 1, "Softplus");
        OperatorChecks.Binary(new Softplus.Gradient(), x, Random(n, 33), 1, "Softplus gradient");
    }

    /// <summary>Softplus keeps its small values: softplus(x) = e^x (1 + O(e^x)) far left, x far right.</summary>
    [Fact]
    public void SoftplusIsAccurateInItsTails()
    {
        var op = new Softplus.Function();
        foreach (float x in new[] { -50f, -20f, -9f })
            Assert.Equal(Math.Exp(x) - Math.Exp(2 * x) / 2, op.Invoke(x), Math.Exp(x) * 1e-6); // log1p(e^x), series
        Assert.Equal(30f, op.Invoke(30f));
        OperatorChecks.Unary(op, [-50f, -20f, -9f, -8.3f, -8.4f, 0f, 9f, 30f, -50f, -20f, -9f, -8.3f, -8.4f, 0f, 9f, 30f, -1f], 1, "Softplus tails");
    }

    [Fact]
    public void TanhAndSigmoidHoldTheirToleranceAcrossTheFloatRange()
    {
        OperatorChecks.Unary(new Tanh.Function(), Sweep, 3, "Tanh sweep");
        OperatorChecks.Unary(new Sigmoid.Function(), Sweep, 4, "Sigmoid sweep");
    }

    [Fact]
    public void TanhKeepsItsRelativeAccuracyNearZero()
    {
        float[] x = [1e-30f, 1e-8f, 1e-4f, 0.01f, 0.3f, 0.6249f, 0.6251f, 1f, 9f, 20f, 1e-30f, 1e-8f, 1e-4f, 0.01f, 0.3f, 0.6249f];
        var y = new float[x.Length];
        Vectorized.Transform(new Tanh.Function(), x, y);
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(y[i] - Math.Tanh(x[i])) <= 2.5 * (MathF.BitIncrement(y[i]) - y[i]), $"tanh({x[i]:R}) = {y[i]:R}, exact {Math.Tanh(x[i]):R}");
    }
}
