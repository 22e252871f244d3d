using ScratchNet.Layers;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Optimizers;

/// <summary>
/// The first steps of each optimizer on θ₀ = [1, -2] with given gradients, checked against values
/// worked out by hand (the arithmetic is written next to each expected value).
/// </summary>
public class OptimizerFirstStepsTests
{
    private const float Tol = 2e-6f;

    private static Parameter Param(bool decays = true, params float[] values) =>
        new("w", Tensor.FromArray(values, values.Length)) { Decays = decays };

    private static void StepWith(Optimizer opt, Parameter p, params float[] gradient)
    {
        gradient.CopyTo(p.Gradient.Span);
        opt.Step([p]);
    }

    private static void AssertValues(Parameter p, params double[] expected)
    {
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], p.Value[i], Tol);
    }

    [Fact]
    public void Sgd_subtracts_eta_times_gradient()
    {
        var p = Param(true, 1f, -2f);
        var opt = new Sgd(0.1f);
        StepWith(opt, p, 0.5f, -1f);
        AssertValues(p, 1 - 0.1 * 0.5, -2 + 0.1 * 1);          // 0.95, -1.9
        StepWith(opt, p, 0.5f, -1f);
        AssertValues(p, 0.95 - 0.05, -1.9 + 0.1);               // 0.9, -1.8
        Assert.Equal(2, opt.StepCount);
        Assert.Empty(opt.GetState());
    }

    [Fact]
    public void Momentum_accumulates_velocity()
    {
        var p = Param(true, 1f, -2f);
        var opt = new Momentum(0.1f, 0.9f);
        StepWith(opt, p, 0.5f, -1f);      // v = 0.5, -1      θ = 1 - 0.05, -2 + 0.1
        AssertValues(p, 0.95, -1.9);
        StepWith(opt, p, 0.5f, -1f);      // v = 0.9·0.5 + 0.5 = 0.95, 0.9·-1 - 1 = -1.9
        AssertValues(p, 0.95 - 0.1 * 0.95, -1.9 + 0.1 * 1.9);   // 0.855, -1.71
        StepWith(opt, p, 0.5f, -1f);      // v = 0.9·0.95 + 0.5 = 1.355, -2.71
        AssertValues(p, 0.855 - 0.1355, -1.71 + 0.271);         // 0.7195, -1.439
        Assert.Equal(0.9f * 0.95f + 0.5f, opt.GetState().Single(s => s.Name == "p0.v").Value[0], Tol);
    }

    [Fact]
    public void Momentum_with_nesterov_uses_gradient_plus_mu_velocity()
    {
        var p = Param(true, 1f, -2f);
        var opt = new Momentum(0.1f, 0.9f, nesterov: true);
        StepWith(opt, p, 0.5f, -1f);      // v = 0.5; step = 0.5 + 0.9·0.5 = 0.95; second: v = -1, step = -1.9
        AssertValues(p, 1 - 0.095, -2 + 0.19);                  // 0.905, -1.81
        StepWith(opt, p, 0.5f, -1f);      // v = 0.95; step = 0.5 + 0.9·0.95 = 1.355; second: -2.71
        AssertValues(p, 0.905 - 0.1355, -1.81 + 0.271);         // 0.7695, -1.539
    }

    [Fact]
    public void Momentum_names_and_records_the_nesterov_flag()
    {
        var heavyBall = new Momentum(0.1f, 0.8f);
        var nesterov = new Momentum(0.1f, 0.8f, nesterov: true);
        Assert.Equal("Momentum", heavyBall.Name);
        Assert.Equal("Nesterov", nesterov.Name);
        Assert.False(heavyBall.Settings.ContainsKey("nesterov"));
        Assert.Equal("true", nesterov.Settings["nesterov"]);
        Assert.Equal("0.8", nesterov.Settings["momentum"]);
    }

    [Fact]
    public void AdaGrad_divides_by_root_of_summed_squares()
    {
        var p = Param(true, 1f, -2f);
        var opt = new AdaGrad(0.1f);
        StepWith(opt, p, 0.5f, -1f);      // G = 0.25, 1: θ -= 0.1·0.5/0.5, 0.1·(-1)/1
        AssertValues(p, 0.9, -1.9);
        StepWith(opt, p, 0.5f, -1f);      // G = 0.5, 2: θ -= 0.05/√0.5 = 0.0707107, -0.1/√2
        AssertValues(p, 0.9 - 0.0707107, -1.9 + 0.0707107);     // 0.8292893, -1.8292893
        StepWith(opt, p, 0.5f, -1f);      // G = 0.75: θ -= 0.05/√0.75 = 0.0577350
        AssertValues(p, 0.7715543);
    }

    [Fact]
    public void RmsProp_divides_by_running_root_mean_square()
    {
        var p = Param(true, 1f, -2f);
        var opt = new RmsProp(0.01f, rho: 0.9f);
        StepWith(opt, p, 0.5f, -1f);      // s = 0.1·0.25 = 0.025, √s = 0.1581139: θ -= 0.005/0.1581139 = 0.0316228
        AssertValues(p, 0.9683772, -2 + 0.01 / Math.Sqrt(0.1));
        StepWith(opt, p, 0.5f, -1f);      // s = 0.9·0.025 + 0.025 = 0.0475, √s = 0.2179449: θ -= 0.0229416
        AssertValues(p, 0.9454357);
        StepWith(opt, p, 0.5f, -1f);      // s = 0.9·0.0475 + 0.025 = 0.06775: θ -= 0.005/0.2602883 = 0.0192095
        AssertValues(p, 0.9262262);
    }

    [Fact]
    public void Adam_with_bias_correction()
    {
        var p = Param(true, 1f);
        var opt = new Adam(0.1f);
        // t=1, g=0.5: m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025; m̂ = 0.05/0.1 = 0.5, v̂ = 0.00025/0.001 = 0.25
        // θ = 1 - 0.1·0.5/(0.5 + 1e-8) = 0.9
        StepWith(opt, p, 0.5f);
        AssertValues(p, 0.9);
        // t=2, g=-0.25: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225
        // m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031, √v̂ = 0.3952254
        // θ = 0.9 - 0.1·0.1052632/0.3952254 = 0.9 - 0.0266337 = 0.8733663
        StepWith(opt, p, -0.25f);
        AssertValues(p, 0.8733663);
        // t=3, g=1: m = 0.018 + 0.1 = 0.118, v = 0.000311938 + 0.001 = 0.001311938
        // m̂ = 0.118/0.271 = 0.4354244, v̂ = 0.001311938/0.002997001 = 0.4377502, √v̂ = 0.6616270
        // θ = 0.8733663 - 0.1·0.4354244/0.6616270 = 0.8075551
        StepWith(opt, p, 1f);
        AssertValues(p, 0.8075551);
        Assert.Equal(3, opt.StepCount);
        var state = opt.GetState();
        Assert.Equal(["p0.m", "p0.v"], state.Select(s => s.Name));
        Assert.Equal(0.118f, state[0].Value[0], Tol);
    }

    [Fact]
    public void AdamW_decays_weights_but_not_biases()
    {
        var w = Param(true, 1f);
        var b = Param(false, 1f);
        var opt = new AdamW(0.1f, weightDecay: 0.1f);
        // A constant gradient gives m̂ = g and v̂ = g², so each Adam step moves θ by η·sign(g) = 0.1.
        // Weight: θ = 1·(1 - 0.1·0.1) = 0.99, then - 0.1 = 0.89; next 0.89·0.99 - 0.1 = 0.7811.
        // Bias (no decay): 0.9, then 0.8.
        w.Gradient[0] = 0.5f; b.Gradient[0] = 0.5f;
        opt.Step([w, b]);
        Assert.Equal(0.89f, w.Value[0], Tol);
        Assert.Equal(0.9f, b.Value[0], Tol);
        opt.Step([w, b]);
        Assert.Equal(0.7811f, w.Value[0], Tol);
        Assert.Equal(0.8f, b.Value[0], Tol);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(257)]
    [Trait("Category", "Kernels")]
    public void Vector_and_scalar_paths_agree_with_a_double_reference(int n)
    {
        var rng = new Rng(5);
        var p = new Parameter("w", new Tensor(n));
        for (int i = 0; i < n; i++) p.Value[i] = rng.NextUniform(-1, 1);
        double[] theta = p.Value.ToArray().Select(x => (double)x).ToArray();
        double[] m = new double[n], v = new double[n];
        var opt = new Adam(0.01f);
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < n; i++) p.Gradient[i] = rng.NextUniform(-1, 1);
            opt.Step([p]);
            for (int i = 0; i < n; i++)
            {
                double g = p.Gradient[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                theta[i] -= 0.01 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
            }
        }
        for (int i = 0; i < n; i++) Assert.Equal(theta[i], p.Value[i], 1e-5);
    }

    [Fact]
    public void State_round_trips_and_resumes_identically()
    {
        var a = Param(true, 1f, -2f, 3f);
        var b = Param(true, 1f, -2f, 3f);
        var optA = new Adam(0.05f);
        float[][] grads = [[0.5f, -1f, 0.25f], [0.1f, 0.2f, -0.3f], [1f, 1f, 1f]];
        StepWith(optA, a, grads[0]);
        a.Value.CopyTo(b.Value);
        var saved = optA.GetState().ToDictionary(s => s.Name, s => s.Value.Clone());
        var optB = new Adam(0.05f);
        optB.SetState(saved, optA.StepCount);
        for (int k = 1; k < 3; k++)
        {
            StepWith(optA, a, grads[k]);
            StepWith(optB, b, grads[k]);
        }
        Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
        Assert.Equal(3, optB.StepCount);
    }

    [Fact]
    public void Bad_hyperparameters_are_rejected_with_their_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(1e-3f, beta1: 1f));
        Assert.Contains("Beta1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum(0.1f, -0.5f));
    }
}
