using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

public class InitializerTests
{
    [Theory]
    [InlineData("XavierUniform", 2.0 / (300 + 100), true)]
    [InlineData("XavierNormal", 2.0 / (300 + 100), false)]
    [InlineData("HeUniform", 2.0 / 300, true)]
    [InlineData("HeNormal", 2.0 / 300, false)]
    [InlineData("LeCunUniform", 1.0 / 300, true)]
    [InlineData("LeCunNormal", 1.0 / 300, false)]
    [InlineData("FanInUniform", 1.0 / (3 * 300), true)]
    public void VarianceMatchesTheRule(string name, double variance, bool uniform)
    {
        var init = Initializer.Parse(name);
        Assert.Equal(name, init.Name);
        var w = new Tensor(300, 100);
        init.Fill(w, 300, 100, new Rng(1));
        double mean = w.ToArray().Average(v => (double)v);
        double measured = w.ToArray().Average(v => ((double)v - mean) * ((double)v - mean));
        Assert.InRange(mean, -0.01 * Math.Sqrt(variance) * 10, 0.01 * Math.Sqrt(variance) * 10);
        Assert.InRange(measured, 0.97 * variance, 1.03 * variance);
        if (uniform)
        {
            double limit = Math.Sqrt(3 * variance);
            Assert.All(w.ToArray(), v => Assert.InRange(v, -limit, limit));
        }
    }

    [Fact]
    public void ZerosAndConstant()
    {
        var w = Tensor.Full(5f, 3, 2);
        new Zeros().Fill(w, 3, 2, new Rng(1));
        Assert.All(w.ToArray(), v => Assert.Equal(0f, v));
        var c = Initializer.Parse("Constant(0.125)");
        Assert.Equal("Constant(0.125)", c.Name);
        c.Fill(w, 3, 2, new Rng(1));
        Assert.All(w.ToArray(), v => Assert.Equal(0.125f, v));
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        var a = new Tensor(10, 10);
        var b = new Tensor(10, 10);
        new HeNormal().Fill(a, 10, 10, new Rng(7));
        new HeNormal().Fill(b, 10, 10, new Rng(7));
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Theory]
    [InlineData("ReLU", "HeNormal")]
    [InlineData("GELU", "HeNormal")]
    [InlineData("Tanh", "XavierUniform")]
    [InlineData("Sigmoid", "XavierUniform")]
    public void ForActivationPicksHeForTheReluFamily(string activation, string expected) =>
        Assert.Equal(expected, Initializer.ForActivation(activation).Name);

    [Fact]
    public void BadFansAndNamesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeNormal().Fill(new Tensor(1), 0, 1, new Rng(1)));
        Assert.Contains("Unknown initializer", Assert.Throws<FormatException>(() => Initializer.Parse("Orthogonal")).Message);
        Assert.Contains("not a number", Assert.Throws<FormatException>(() => Initializer.Parse("Constant(abc)")).Message);
    }
}
