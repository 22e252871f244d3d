using ScratchNet.Layers;
using ScratchNet.Tensors;
using ScratchNet.Tests.Tensors;
using ScratchNet.Training;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Training;

/// <summary>
/// The L1/L2 penalty gradient, g + λ₁ sign(θ) + λ₂ θ: vector forms against the scalar Invoke, bit
/// for bit (sign(0) = 0 at the kink; a NaN θ gives a NaN gradient), and the penalty and decoupled decay
/// on parameters that decay only.
/// </summary>
[Trait("Category", "Kernels")]
public class PenaltyGradientTests
{
    public static TheoryData<int> Sizes => OperatorChecks.SizeData();

    [Theory, MemberData(nameof(Sizes))]
    public void VectorFormsMatchTheScalarInvoke(int n)
    {
        var theta = OperatorChecks.WithSpecials(n, 1, 2f, 0f, -0f, 1e-30f, -1e-30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN);
        OperatorChecks.Binary(new Regularization.PenaltyGradient(1e-3f, 1e-2f), Random(n, 2), theta, 0, "L1 + L2");
        OperatorChecks.Binary(new Regularization.PenaltyGradient(1e-3f, 0f), Random(n, 2), theta, 0, "L1");
        OperatorChecks.Binary(new Regularization.PenaltyGradient(0f, 1e-2f), Random(n, 2), theta, 0, "L2");
    }

    [Fact]
    public void SignIsZeroAtTheKink()
    {
        var op = new Regularization.PenaltyGradient(0.5f, 0f);
        Assert.Equal(1f, op.Invoke(1f, 0f));
        Assert.Equal(1.5f, op.Invoke(1f, 3f));
        Assert.Equal(0.5f, op.Invoke(1f, -3f));
        Assert.True(float.IsNaN(op.Invoke(1f, float.NaN))); // sign(NaN) = 0, but λ₂ NaN is NaN even for λ₂ = 0
        Assert.Equal(1f, new Regularization.PenaltyGradient(0.5f, 0f).Invoke(1f, -0f));
    }

    [Fact]
    public void OnlyParametersThatDecayArePenalisedAndDecayed()
    {
        var w = new Parameter("w", Tensor.FromArray([2f, -4f, 0f], 3));
        var b = new Parameter("b", Tensor.FromArray([2f, -4f, 0f], 3)) { Decays = false };
        var reg = new Regularization { L1 = 0.5f, L2 = 0.25f, DecoupledWeightDecay = 0.1f };
        Assert.Equal(0.5 * 6 + 0.5 * 0.25 * 20, reg.Penalty([w, b]), 6);
        reg.AddPenaltyGradients([w, b]);
        Assert.Equal([0.5f + 0.5f, -0.5f - 1f, 0f], w.Gradient.ToArray());
        Assert.Equal([0f, 0f, 0f], b.Gradient.ToArray());
        reg.ApplyDecoupledDecay([w, b], learningRate: 2f);
        Assert.Equal([2f * 0.8f, -4f * 0.8f, 0f], w.Value.ToArray());
        Assert.Equal([2f, -4f, 0f], b.Value.ToArray());
    }
}
