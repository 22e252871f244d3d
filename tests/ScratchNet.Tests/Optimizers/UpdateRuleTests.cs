using ScratchNet.Optimizers;
using ScratchNet.Tests.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Optimizers;

/// <summary>
/// Each optimizer's update rule, vector forms against its scalar Invoke (the specification, the
/// formula in the optimizer's XML doc): the same bits over several steps, on odd sizes, with
/// zeros, infinities and NaNs in the gradient where the rule defines what they do.
/// </summary>
[Trait("Category", "Kernels")]
public class UpdateRuleTests
{
    public static TheoryData<int> Sizes => OperatorChecks.SizeData();

    private static float[] Gradient(int n, ulong seed) =>
        OperatorChecks.WithSpecials(n, seed, 2f, 0f, -0f, 1e-30f, 3e38f, float.PositiveInfinity, float.NaN);

    [Theory, MemberData(nameof(Sizes))]
    public void Sgd(int n) =>
        OperatorChecks.Binary(new Sgd.UpdateRule(0.05f), Random(n, 1), Gradient(n, 2), 0, "Sgd");

    [Theory, MemberData(nameof(Sizes))]
    public void Momentum(int n) =>
        OperatorChecks.Update2(new Momentum.UpdateRule(0.05f, 0.9f, nesterov: false), Random(n, 1), Random(n, 3, 0.1f), Gradient(n, 2), 3, "Momentum");

    [Theory, MemberData(nameof(Sizes))]
    public void Nesterov(int n) =>
        OperatorChecks.Update2(new Momentum.UpdateRule(0.05f, 0.9f, nesterov: true), Random(n, 1), Random(n, 3, 0.1f), Gradient(n, 2), 3, "Nesterov");

    [Theory, MemberData(nameof(Sizes))]
    public void AdaGrad(int n)
    {
        OperatorChecks.Update2(new AdaGrad.UpdateRule(0.05f, 1e-10f), Random(n, 1), new float[n], Gradient(n, 2), 3, "AdaGrad");
        // ε = 0 and a zero gradient: 0/0, NaN on both paths.
        OperatorChecks.Update2(new AdaGrad.UpdateRule(0.05f, 0f), Random(n, 1), new float[n], new float[n], 1, "AdaGrad, ε = 0");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void RmsProp(int n) =>
        OperatorChecks.Update2(new RmsProp.UpdateRule(0.01f, 0.9f, 1e-8f), Random(n, 1), new float[n], Gradient(n, 2), 3, "RmsProp");

    [Theory, MemberData(nameof(Sizes))]
    public void Adam(int n)
    {
        for (long t = 1; t <= 3; t++)
            OperatorChecks.Update3(new AdamUpdateRule(1e-3f, 0.9f, 0.999f, 1e-8f, t), Random(n, 1), Random(n, 4, 0.01f), Random(n, 5, 0.001f).Select(MathF.Abs).ToArray(),
                Gradient(n, 2), 2, $"Adam, t = {t}");
    }
}
