using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

public class LayerBehaviourTests
{
    public static TheoryData<string> AllLayers =>
    [
        "Dense", "DenseNoBias", "Dropout", "BatchNorm", "Flatten", "Step", "Identity", "Sigmoid", "Tanh", "ReLU",
        "LeakyReLU", "ELU", "GELU", "Softmax",
    ];

    private static Layer Make(string name) => name switch
    {
        "Dense" => new Dense(5, new HeNormal()),
        "DenseNoBias" => new Dense(3, new Constant(0.25f), useBias: false),
        "Dropout" => new Dropout(0.3f),
        "BatchNorm" => new BatchNorm(0.2f, 1e-3f),
        "Flatten" => new Flatten(),
        "Step" => new Step(),
        "Identity" => new Identity(),
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU(0.05f),
        "ELU" => new ELU(0.5f),
        "GELU" => new GELU(),
        "Softmax" => new Softmax(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(AllLayers))]
    public void SpecRoundTripsThroughTheFactory(string name)
    {
        var original = Make(name);
        var copy = LayerFactory.Create(original.Spec);
        Assert.Equal(original.GetType(), copy.GetType());
        Assert.Equal(original.Spec.ToString(), copy.Spec.ToString());
        Assert.Equal(original.Spec.Settings.OrderBy(kv => kv.Key), copy.Spec.Settings.OrderBy(kv => kv.Key));
        original.Build([6], new Rng(3));
        copy.Build([6], new Rng(3));
        var x = DoubleGradient.Random(1, 1f, 4, 6);
        Assert.Equal(original.Forward(x, training: true).ToArray(), copy.Forward(x, training: true).ToArray());
    }

    [Fact]
    public void FactoryRejectsUnknownTypesAndMissingSettings()
    {
        Assert.Contains("Unknown layer type 'Conv9D'", Assert.Throws<FormatException>(() => LayerFactory.Create(new LayerSpec("Conv9D"))).Message);
        Assert.Contains("'units'", Assert.Throws<FormatException>(() => LayerFactory.Create(new LayerSpec("Dense"))).Message);
        var bad = new LayerSpec("Dense", new Dictionary<string, string> { ["units"] = "4", ["weightInit"] = "Magic" });
        Assert.Contains("Unknown initializer 'Magic'", Assert.Throws<FormatException>(() => LayerFactory.Create(bad)).Message);
    }

    [Fact]
    public void FactoryAcceptsRegisteredTypes()
    {
        LayerFactory.Register("TestOnlyIdentity", _ => new Identity());
        Assert.IsType<Identity>(LayerFactory.Create(new LayerSpec("TestOnlyIdentity")));
    }

    [Theory]
    [MemberData(nameof(AllLayers))]
    public void WrongInputShapeNamesTheLayerAndBothShapes(string name)
    {
        var layer = Make(name);
        layer.Build([6], new Rng(1));
        var ex = Assert.Throws<ShapeMismatchException>(() => layer.Forward(new Tensor(2, 7), training: true));
        Assert.Contains(layer.TypeName, ex.Message);
        Assert.Contains("(2, 7)", ex.Message);
        Assert.Contains("(batch, 6)", ex.Message);
    }

    [Theory]
    [MemberData(nameof(AllLayers))]
    public void BackwardChecksGradOutputShape(string name)
    {
        var layer = Make(name);
        layer.Build([6], new Rng(1));
        Assert.Contains("before Forward", Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(2, 6))).Message);
        var y = layer.Forward(new Tensor(2, 6), training: true);
        var ex = Assert.Throws<ShapeMismatchException>(() => layer.Backward(new Tensor(3, y.Dim(1))));
        Assert.Contains(layer.TypeName, ex.Message);
    }

    [Theory]
    [MemberData(nameof(AllLayers))]
    public void BuffersAreReusedForTheSameBatchSize(string name)
    {
        var layer = Make(name);
        layer.Build([6], new Rng(1));
        var x = DoubleGradient.Random(1, 1f, 4, 6);
        var y1 = layer.Forward(x, training: true);
        var dy = y1.Clone();
        var dx1 = layer.Backward(dy);
        var y2 = layer.Forward(x, training: true);
        var dx2 = layer.Backward(dy);
        Assert.Same(y1, y2);
        Assert.Same(dx1.Data, dx2.Data);
        var y3 = layer.Forward(DoubleGradient.Random(1, 1f, 7, 6), training: true);
        Assert.Equal(7, y3.Dim(0));
    }

    [Fact]
    public void ActivationForwardValues()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 0.5f, 2f], 1, 5);
        float[] Run(Layer l) { l.Build([5], new Rng(1)); return l.Forward(x, false).ToArray(); }
        Assert.Equal([0f, 0f, 0f, 1f, 1f], Run(new Step()));
        Assert.Equal([-2f, -0.5f, 0f, 0.5f, 2f], Run(new Identity()));
        Assert.Equal([0f, 0f, 0f, 0.5f, 2f], Run(new ReLU()));
        Assert.Equal([-0.2f, -0.05f, 0f, 0.5f, 2f], Run(new LeakyReLU(0.1f)));
        AssertClose([MathF.Exp(-2) - 1, MathF.Exp(-0.5f) - 1, 0, 0.5f, 2], Run(new ELU()));
        AssertClose([1 / (1 + MathF.Exp(2)), 1 / (1 + MathF.Exp(0.5f)), 0.5f, 1 / (1 + MathF.Exp(-0.5f)), 1 / (1 + MathF.Exp(-2))], Run(new Sigmoid()));
        AssertClose([MathF.Tanh(-2), MathF.Tanh(-0.5f), 0, MathF.Tanh(0.5f), MathF.Tanh(2)], Run(new Tanh()));
        // GELU(x) = x Φ(x): Φ(-2) = 0.0227501319, Φ(-0.5) = 0.3085375387 (tables).
        AssertClose([-2 * 0.0227501319f, -0.5f * 0.3085375387f, 0f, 0.5f * 0.6914624613f, 2 * 0.9772498681f], Run(new GELU()));
        float sum = MathF.Exp(-2) + MathF.Exp(-0.5f) + 1 + MathF.Exp(0.5f) + MathF.Exp(2);
        AssertClose([MathF.Exp(-2) / sum, MathF.Exp(-0.5f) / sum, 1 / sum, MathF.Exp(0.5f) / sum, MathF.Exp(2) / sum], Run(new Softmax()));
    }

    [Fact]
    public void StepPassesNoGradient()
    {
        var step = new Step();
        step.Build([3], new Rng(1));
        step.Forward(Tensor.FromArray([-1f, 0.5f, 3f], 1, 3), true);
        Assert.Equal([0f, 0f, 0f], step.Backward(Tensor.FromArray([1f, 2f, 3f], 1, 3)).ToArray());
    }

    public static TheoryData<string, int> VectorisedCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh" })
            foreach (int n in new[] { 0, 1, 7, 33, 257 }) data.Add(name, n);
        return data;
    }

    /// <summary>Vector paths (vector prefix, scalar remainder) against the plain formulas, on odd sizes.</summary>
    [Theory]
    [MemberData(nameof(VectorisedCases))]
    [Trait("Category", "Kernels")]
    public void VectorPathsMatchTheScalarFormulas(string name, int n)
    {
        (Layer layer, Func<double, double> f, Func<double, double> df) = name switch
        {
            "ReLU" => ((Layer)new ReLU(), (Func<double, double>)(v => Math.Max(v, 0)), (Func<double, double>)(v => v > 0 ? 1 : 0)),
            "LeakyReLU" => (new LeakyReLU(0.1f), v => v > 0 ? v : 0.1 * v, v => v > 0 ? 1 : 0.1),
            "ELU" => (new ELU(0.5f), v => v > 0 ? v : 0.5 * (Math.Exp(v) - 1), v => v > 0 ? 1 : 0.5 * Math.Exp(v)),
            "Sigmoid" => (new Sigmoid(), Reference.Sigmoid, v => Reference.Sigmoid(v) * (1 - Reference.Sigmoid(v))),
            "Tanh" => (new Tanh(), Math.Tanh, v => 1 - Math.Tanh(v) * Math.Tanh(v)),
            _ => throw new ArgumentException(name),
        };
        layer.Build([n], new Rng(1));
        var x = DoubleGradient.Random(4, 3f, 1, n);
        if (n > 0) x[0] = 0f; // the kink itself: the derivative from the left is used
        var dy = DoubleGradient.Random(5, 1f, 1, n);
        var y = layer.Forward(x, true).ToArray();
        var dx = layer.Backward(dy).ToArray();
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(f(x[i]) - y[i]) <= 2e-6 * Math.Max(1, Math.Abs(f(x[i]))), $"{name}({x[i]}) = {y[i]}, expected {f(x[i])}");
            double expected = (x[i] == 0 && name != "Sigmoid" && name != "Tanh" ? (name == "ReLU" ? 0 : name == "LeakyReLU" ? 0.1 : 0.5) : df(x[i])) * dy[i];
            Assert.True(Math.Abs(expected - dx[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected)), $"{name}'({x[i]}) * {dy[i]} = {dx[i]}, expected {expected}");
        }
    }

    [Fact]
    public void ErfMatchesTheSeriesToFloatPrecision()
    {
        for (double x = -6; x <= 6; x += 0.01)
        {
            double expected = 1 - Reference.Erf(x);
            // 1 - erf(x) from the series is itself only good to a few 1e-16 absolute, hence the small absolute term.
            Assert.True(Math.Abs(ErrorFunction.Erfc(x) - expected) <= 2e-7 * expected + 5e-15, $"erfc({x}) = {ErrorFunction.Erfc(x)}, expected {expected}");
        }
        Assert.True(Math.Abs(Reference.Erf(1) - 0.8427007929497149) < 1e-15);
    }

    [Fact]
    public void BatchNormNormalisesAndUpdatesRunningStatistics()
    {
        var bn = new BatchNorm(momentum: 0.5f, epsilon: 1e-5f);
        bn.Build([2], new Rng(1));
        // Feature 0: 1, 3 (mean 2, biased variance 1, unbiased 2); feature 1: 10, 10 (variance 0).
        var y = bn.Forward(Tensor.FromArray([1f, 10f, 3f, 10f], 2, 2), training: true);
        AssertClose([-1f / MathF.Sqrt(1 + 1e-5f), 0f, 1f / MathF.Sqrt(1 + 1e-5f), 0f], y.ToArray());
        AssertClose([1f, 5f], bn.RunningMean.ToArray());
        AssertClose([1.5f, 0.5f], bn.RunningVariance.ToArray());
        Assert.Equal(["running_mean", "running_var"], bn.Buffers.Select(b => b.Name));
        Assert.All(bn.Parameters, p => Assert.False(p.Decays));
        // Inference uses the running statistics.
        var z = bn.Forward(Tensor.FromArray([2f, 5f], 1, 2), training: false);
        AssertClose([1f / MathF.Sqrt(1.5f + 1e-5f), 0f], z.ToArray());
    }

    [Fact]
    public void DropoutScalesKeptElementsAndIsIdentityAtInference()
    {
        var d = new Dropout(0.5f);
        d.Build([1000], new Rng(1));
        var x = Tensor.Full(1f, 2, 1000);
        var y = d.Forward(x, training: true).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || v == 2f));
        double kept = y.Count(v => v == 2f) / 2000.0;
        Assert.InRange(kept, 0.45, 0.55);
        Assert.Same(x, d.Forward(x, training: false));
    }

    [Fact]
    public void DropoutMasksAreReproducibleAndResumable()
    {
        Dropout Fresh()
        {
            var d = new Dropout(0.5f);
            d.Build([16], new Rng(42));
            return d;
        }
        var x = Tensor.Full(1f, 3, 16);
        var a = Fresh();
        var first = a.Forward(x, true).ToArray();
        var state = a.Rng.GetState();
        var second = a.Forward(x, true).ToArray();
        Assert.NotEqual(first, second);

        var b = Fresh();
        Assert.Equal(first, b.Forward(x, true).ToArray());

        var resumed = Fresh();
        resumed.Rng.SetState(state);
        Assert.Equal(second, resumed.Forward(x, true).ToArray());
        Assert.IsAssignableFrom<IStochasticLayer>(resumed);
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(momentum: 2f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(epsilon: 0f));
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-6f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
