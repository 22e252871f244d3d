using ScratchNet.Layers;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// Every layer's backward pass against central differences of a double-precision reference forward,
/// and proof that each of these checks fails when the layer's input gradient is off by a factor.
/// </summary>
public class LayerGradientTests
{
    public static TheoryData<string> Cases => new(GradientCases.Names);

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesTheDoubleReference(string name)
    {
        var c = GradientCases.Get(name);
        var r = GradientCases.Run(c, c.Create());
        Assert.True(r.ForwardError < 1e-5, $"forward disagrees with the reference: {r}");
        Assert.True(r.Max < DoubleGradient.Tolerance, r.ToString());
        Assert.Equal(1 + c.Create().Parameters.Count, r.Errors.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheSameCheckFailsWhenTheInputGradientIsHalved(string name)
    {
        var c = GradientCases.Get(name);
        var inner = c.Create();
        var buggy = new BuggyLayer(inner, Bug.HalveInputGradient);
        buggy.Build(inner.InputShape, new Rng(5)); // keeps the already built inner layer as prepared
        var r = GradientCases.Run(c, buggy);
        if (name is "Step" or "Embedding")
            Assert.True(r.Max < DoubleGradient.Tolerance, $"{name}'s input gradient is 0, so halving it changes nothing: " + r);
        else
            Assert.True(r.Errors["input"] > 0.3, r.ToString());
    }
}
