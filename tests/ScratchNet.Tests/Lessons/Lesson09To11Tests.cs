using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Lessons;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Tests.Lessons;

public class Lesson09To11Tests
{
    [Fact]
    public void Lesson09_AdaptiveOptimizersAndMomentumBeatPlainSgd()
    {
        var r = Lesson09Optimizers.Run(LessonTestContext.Create());
        var f = r.FinalLoss;
        Assert.True(f["Momentum"] < f["SGD"] / 2, $"Momentum {f["Momentum"]} vs SGD {f["SGD"]}");
        Assert.True(f["Adam"] < f["SGD"] / 5);
        Assert.True(f["RMSprop"] < f["SGD"] / 5);
        foreach (var losses in r.Losses.Values) Assert.Equal(Lesson09Optimizers.Steps, losses.Length);
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("Momentum")]
    [InlineData("RMSprop")]
    [InlineData("Adam")]
    public void Lesson09_UpdateRulesMatchTheLibraryOptimizers(string name)
    {
        var rng = new Rng(9);
        const int size = 7;
        const double learningRate = 0.01;
        var theta = Enumerable.Range(0, size).Select(_ => rng.NextGaussian()).ToArray();
        var parameter = new Parameter("p", Tensor.FromArray(theta.Select(v => (float)v).ToArray(), size));
        Optimizer library = name switch
        {
            "SGD" => new Sgd((float)learningRate),
            "Momentum" => new Momentum((float)learningRate, 0.9f),
            "RMSprop" => new RmsProp((float)learningRate, rho: 0.99f, epsilon: 1e-8f),
            _ => new Adam((float)learningRate, 0.9f, 0.999f, 1e-8f),
        };
        var first = new double[size];
        var second = new double[size];
        for (int t = 1; t <= 6; t++)
        {
            var g = Enumerable.Range(0, size).Select(_ => rng.NextGaussian()).ToArray();
            for (int k = 0; k < size; k++) parameter.Gradient[k] = (float)g[k];
            library.Step([parameter]);
            switch (name)
            {
                case "SGD": Lesson09Optimizers.SgdStep(theta, g, learningRate); break;
                case "Momentum": Lesson09Optimizers.MomentumStep(theta, g, first, learningRate, 0.9); break;
                case "RMSprop": Lesson09Optimizers.RmsPropStep(theta, g, second, learningRate, 0.99, 1e-8); break;
                default: Lesson09Optimizers.AdamStep(theta, g, first, second, t, learningRate, 0.9, 0.999, 1e-8); break;
            }
        }
        for (int k = 0; k < size; k++) Assert.Equal(theta[k], parameter.Value[k], 5);
    }

    [Fact]
    public void Lesson10_OverfittingAndEachRemedy()
    {
        var r = Lesson10Regularisation.Run(LessonTestContext.Create());
        Assert.True(r.BaselineTrainLoss < 0.01, $"baseline training loss {r.BaselineTrainLoss}");
        Assert.True(r.BaselineValidationLoss > 2 * r.BaselineBestValidationLoss, "the baseline should overfit");
        Assert.True(r.L2ValidationLoss < r.BaselineValidationLoss / 2, $"L2 {r.L2ValidationLoss}");
        Assert.True(r.DropoutValidationLoss < r.BaselineValidationLoss, $"dropout {r.DropoutValidationLoss}");
        Assert.True(r.EarlyStoppingValidationLoss < r.BaselineValidationLoss / 2);
        Assert.InRange(r.EarlyStoppingStep, 1, Lesson10Regularisation.Steps / 2);
    }

    [Fact]
    public void Lesson11_VanishExplodeAndTheFixes()
    {
        var r = Lesson11InitialisationBatchNorm.Run(LessonTestContext.Create());
        double Last(string key) => r.ActivationStd.Single(kv => kv.Key.StartsWith(key, StringComparison.Ordinal)).Value[^1];
        Assert.True(Last("N(0, 0.01²):") < 1e-8);
        Assert.True(Last("N(0, 0.2²)") > 10);
        Assert.True(Last("Xavier") < 0.1);
        Assert.InRange(Last("He"), 0.4, 2.0);
        Assert.InRange(Last("N(0, 0.01²) + batch norm"), 0.5, 0.7);   // std of relu(N(0, 1)) = 0.584
        var heGradients = r.GradientStd.Single(kv => kv.Key.StartsWith("He", StringComparison.Ordinal)).Value;
        Assert.All(heGradients, g => Assert.InRange(g, 0.3, 3.0));
    }

    [Fact]
    public void Lesson11_BatchNormBackwardMatchesNumericalGradient()
    {
        // L = Σ G ⊙ normalise(z): check dL/dz from NormaliseBackward by central differences.
        int rows = 5, cols = 3;
        var rng = new Rng(111);
        var z = Enumerable.Range(0, rows * cols).Select(_ => rng.NextGaussian()).ToArray();
        var G = Enumerable.Range(0, rows * cols).Select(_ => rng.NextGaussian()).ToArray();
        double Loss(double[] input)
        {
            var copy = (double[])input.Clone();
            Lesson11InitialisationBatchNorm.Normalise(copy, rows, cols);
            return copy.Select((v, k) => v * G[k]).Sum();
        }
        var zHat = (double[])z.Clone();
        var inverseStd = Lesson11InitialisationBatchNorm.Normalise(zHat, rows, cols);
        var grad = (double[])G.Clone();
        Lesson11InitialisationBatchNorm.NormaliseBackward(grad, zHat, inverseStd, rows, cols);
        for (int k = 0; k < z.Length; k++)
        {
            var up = (double[])z.Clone(); up[k] += 1e-6;
            var down = (double[])z.Clone(); down[k] -= 1e-6;
            Assert.Equal((Loss(up) - Loss(down)) / 2e-6, grad[k], 6);
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void Lesson09_TwoMoonsAreTheLibrarysMoons(double noise)
    {
        // The same formula and the same draws from the same generator; the library stores float32.
        var (X, T) = Lesson09Optimizers.TwoMoons(Lesson09Optimizers.Points, new Rng(9), noise);
        var (features, labels) = SyntheticData.Generate("moons", Lesson09Optimizers.Points, (float)noise, 2, new Rng(9));
        for (int s = 0; s < T.Length; s++)
        {
            Assert.Equal(T[s], labels[s]);
            Assert.Equal(X[s, 0], features[s, 0], 1e-6);
            Assert.Equal(X[s, 1], features[s, 1], 1e-6);
        }
    }

    /// <summary>
    /// Lesson 9's loss and gradient of its 2-16-1 tanh network against Sequential(Dense(16), Tanh,
    /// Dense(1)) with BinaryCrossEntropyWithLogits on the lesson's data; θ is rounded to float32 first so
    /// that both sides start from the same numbers. Tolerance 1e-6 on the loss, 1e-6 + 1e-4 |g| on
    /// each gradient (float32 sums over 200 points).
    /// </summary>
    [Fact]
    public void Lesson09_LossAndGradientMatchTheLibrary()
    {
        int H = Lesson09Optimizers.Hidden;
        var (X, T) = Lesson09Optimizers.TwoMoons(Lesson09Optimizers.Points, new Rng(9));
        var rng = new Rng(90);
        var theta = Enumerable.Range(0, 4 * H + 1).Select(_ => (double)(float)rng.NextGaussian()).ToArray();
        var model = new Sequential(new Dense(H), new Tanh(), new Dense(1)).Build([2], new Rng(1));
        var (dense1, dense2) = ((Dense)model.Layers[0], (Dense)model.Layers[2]);
        SetTwoLayerWeights(theta, H, dense1, dense2);
        var (x, t) = Batch(X, T);
        var loss = new BinaryCrossEntropyWithLogits();
        loss.Forward(model.Forward(x, training: true), t);
        model.Backward(loss.Backward());

        var (lessonLoss, g) = Lesson09Optimizers.LossAndGradient(theta, X, T);
        Assert.Equal(lessonLoss, loss.LastValue, 1e-6);
        AssertTwoLayerGradients(g, H, dense1, dense2);
    }

    /// <summary>
    /// Lesson 10's gradient with dropout and the L2 penalty against the library on the lesson's data:
    /// Sequential(Dense(200), ReLU, Dropout(0.5), Dense(1)), BinaryCrossEntropyWithLogits and
    /// Regularization { L2 = 0.01 }. The lesson's generator starts from the Dropout layer's state; at
    /// rate 0.5, NextDouble() &lt; 0.5 and NextFloat() &lt; 0.5 read the same top bit, so both drop the
    /// same units, three evaluations in a row. Tolerance 1e-6 + 1e-4 |g| (float32 sums over 40 points).
    /// </summary>
    [Fact]
    public void Lesson10_DropoutAndL2GradientMatchTheLibrary()
    {
        int H = Lesson10Regularisation.Hidden;
        var (X, T) = Lesson09Optimizers.TwoMoons(Lesson10Regularisation.TrainPoints, new Rng(10), noise: 0.3);
        for (int s = 0; s < T.Length; s++) { X[s, 0] = (float)X[s, 0]; X[s, 1] = (float)X[s, 1]; }
        var rng = new Rng(100);
        var theta = Enumerable.Range(0, 4 * H + 1).Select(_ => (double)(float)rng.NextGaussian()).ToArray();
        var dropout = new Dropout((float)Lesson10Regularisation.DropoutRate);
        var model = new Sequential(new Dense(H), new ReLU(), dropout, new Dense(1)).Build([2], new Rng(1));
        var (dense1, dense2) = ((Dense)model.Layers[0], (Dense)model.Layers[3]);
        SetTwoLayerWeights(theta, H, dense1, dense2);
        var regularization = new Regularization { L2 = (float)Lesson10Regularisation.L2Strength };
        var lessonRng = new Rng(0);
        lessonRng.SetState(dropout.Rng.GetState());
        var (x, t) = Batch(X, T);
        var loss = new BinaryCrossEntropyWithLogits();

        Assert.Equal(Lesson10Regularisation.L2Penalty(theta, Lesson10Regularisation.L2Strength), regularization.Penalty(model.Parameters), 1e-6);
        float[]? previousMask = null;
        for (int evaluation = 0; evaluation < 3; evaluation++)
        {
            var g = Lesson10Regularisation.Gradient(theta, X, T, Lesson10Regularisation.DropoutRate, lessonRng);
            Lesson10Regularisation.AddL2Gradient(g, theta, Lesson10Regularisation.L2Strength);
            loss.Forward(model.Forward(x, training: true), t);
            model.Backward(loss.Backward());
            regularization.AddPenaltyGradients(model.Parameters);
            AssertTwoLayerGradients(g, H, dense1, dense2);
            // The masks drop about half the units and change from one evaluation to the next.
            float[] mask = dropout.Mask!.ToArray();
            Assert.InRange(mask.Count(m => m == 0), mask.Length * 2 / 5, mask.Length * 3 / 5);
            Assert.NotEqual(previousMask, mask);
            previousMask = mask;
        }
    }

    public static TheoryData<int, double[]> EarlyStoppingCurves => new()
    {
        { 2, [5, 4, 3, 2, 1] },                 // always better: runs to the end
        { 2, [1, 2, 3, 4, 5, 6] },              // worse from the start
        { 2, [3, 2, 4, 4, 1.5, 5, 6] },         // the improvement comes one evaluation too late
        { 2, [3, 2, 4, 1.5, 5, 6, 7, 8] },      // the improvement comes just in time
        { 2, [2, 2, 2, 2, 2] },                 // a tie is not an improvement
        { 1, [3, 1, 2, 0.5, 0.7] },
        { 20, [.. Enumerable.Range(0, 121).Select(e => 0.3 + 0.5 * Math.Exp(-e / 8.0) + 0.002 * e + 0.01 * Math.Sin(1.3 * e))] },  // lesson 10's patience, a curve of its length
    };

    /// <summary>
    /// Lesson 10's early stopping rule against the Trainer's EarlyStopping on the same validation
    /// losses. A scripted optimizer sets the one weight w of y = w x so that each epoch's validation
    /// loss (MSE on the point (1, 0), so w²) is the next value of the curve; the rule is then applied to
    /// the losses the trainer recorded, which are the curve in float32.
    /// </summary>
    [Theory]
    [MemberData(nameof(EarlyStoppingCurves))]
    public void Lesson10_EarlyStoppingRuleMatchesTheTrainer(int patience, double[] curve)
    {
        var model = new Sequential(new Dense(1, useBias: false)).Build([1], new Rng(1));
        var point = new InMemoryDataset("(1, 0)", Tensor.FromArray([1f], 1, 1), Tensor.FromArray([0f], 1, 1), classCount: 0);
        var history = new Trainer(model, new TrainerOptions
        {
            Loss = new MeanSquaredError(),
            Optimizer = new ScriptedWeight(curve),
            Epochs = curve.Length,
            BatchSize = 1,
            Validation = point,
            EarlyStopping = new EarlyStopping { Patience = patience },
        }).Fit(point);

        double[] recorded = [.. history.Epochs.Select(e => e.ValidationLoss)];
        for (int e = 0; e < recorded.Length; e++) Assert.Equal(curve[e], recorded[e], 1e-6 * curve[e]);
        var (best, stop) = Lesson10Regularisation.EarlyStop([.. recorded, .. curve.Skip(recorded.Length)], patience);
        Assert.Equal(best + 1, history.BestEpoch);
        Assert.Equal(stop + 1, history.Epochs.Count);
        Assert.Equal(stop < curve.Length - 1, history.StoppedEarly);
        Assert.Equal(best + 1, history.FinalWeightsEpoch);
        Assert.Equal((float)Math.Sqrt(curve[best]), ((Dense)model.Layers[0]).Weight.Value[0]);
    }

    /// <summary>
    /// Lesson 11's batch normalisation against the library's BatchNorm (γ = 1, β = 0, ε = 1e-5) in
    /// training mode, forward and backward, on columns of very different means and scales.
    /// Tolerance 1e-5 on ẑ, 1e-5 / σ on dL/dz (the gradient scales with 1/σ).
    /// </summary>
    [Fact]
    public void Lesson11_NormaliseMatchesBatchNorm()
    {
        int rows = 32, cols = 6;
        var rng = new Rng(112);
        var z = new double[rows * cols];
        var G = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                z[i * cols + j] = (float)(j - 2.5 + 0.05 * Math.Pow(3, j) * rng.NextGaussian());
                G[i * cols + j] = (float)rng.NextGaussian();
            }
        var zHat = (double[])z.Clone();
        var inverseStd = Lesson11InitialisationBatchNorm.Normalise(zHat, rows, cols);
        var grad = (double[])G.Clone();
        Lesson11InitialisationBatchNorm.NormaliseBackward(grad, zHat, inverseStd, rows, cols);

        var batchNorm = new BatchNorm();
        batchNorm.Build([cols], new Rng(1));
        var y = batchNorm.Forward(Tensor.FromArray([.. z.Select(v => (float)v)], rows, cols), training: true);
        var dx = batchNorm.Backward(Tensor.FromArray([.. G.Select(v => (float)v)], rows, cols));
        for (int k = 0; k < z.Length; k++)
        {
            Assert.Equal(zHat[k], y[k], 1e-5);
            Assert.Equal(grad[k], dx[k], 1e-5 * inverseStd[k % cols]);
        }
        Assert.InRange(inverseStd.Max() / inverseStd.Min(), 100, 1000);   // the scales really differ
    }

    /// <summary>
    /// The lesson's He weights, N(0, 2/fan_in) drawn with its generator, are the library's HeNormal
    /// under the same seed, bit for bit once rounded to float32 (σ = √(2/128) = 1/8 exactly). HeUniform
    /// has the same variance, and the lesson's ten ReLU layers keep the signal with its weights too.
    /// </summary>
    [Fact]
    public void Lesson11_HeWeightsAreTheLibrarysHeInitialisers()
    {
        int w = Lesson11InitialisationBatchNorm.Width, layers = Lesson11InitialisationBatchNorm.Layers;
        var lesson = Lesson11InitialisationBatchNorm.Gaussian(new Rng(110), w * w, Math.Sqrt(2.0 / w));
        var heNormal = new Tensor(w, w);
        new HeNormal().Fill(heNormal, w, w, new Rng(110));
        for (int k = 0; k < lesson.Length; k++) Assert.Equal((float)lesson[k], heNormal[k]);

        var uniformRng = new Rng(110);
        var uniform = new double[layers][];
        for (int l = 0; l < layers; l++)
        {
            var weights = new Tensor(w, w);
            new HeUniform().Fill(weights, w, w, uniformRng);
            uniform[l] = [.. weights.ToArray().Select(v => (double)v)];
        }
        double variance = uniform[0].Sum(v => v * v) / uniform[0].Length;
        Assert.Equal(2.0 / w, variance, 0.03 * 2.0 / w);   // about 4 standard errors of the estimate from 16,384 draws
        var input = Lesson11InitialisationBatchNorm.Gaussian(new Rng(11), Lesson11InitialisationBatchNorm.BatchSize * w, 1.0);
        var (activationStd, _) = Lesson11InitialisationBatchNorm.ForwardBackward(input, uniform, batchNorm: false, new Rng(111));
        Assert.InRange(activationStd[^1], 0.4, 2.0);   // the band the lesson's own He setting stays in
    }

    /// <summary>
    /// The lesson's whole forward and backward pass through ten layers against the library's
    /// Dense (no bias), BatchNorm and ReLU layers with the same weights, input and dL/d(output): the
    /// standard deviation of every layer's activations and input gradient agree to 1e-4 (relative).
    /// </summary>
    [Theory]
    [InlineData(0.01, true)]     // tiny weights rescued by batch norm
    [InlineData(0.125, false)]   // He: σ² = 2/128
    public void Lesson11_LayerStatisticsMatchTheLibrarysLayers(double weightStd, bool batchNorm)
    {
        int n = Lesson11InitialisationBatchNorm.BatchSize, w = Lesson11InitialisationBatchNorm.Width, layers = Lesson11InitialisationBatchNorm.Layers;
        var input = Lesson11InitialisationBatchNorm.Gaussian(new Rng(11), n * w, 1.0).Select(v => (double)(float)v).ToArray();
        var rng = new Rng(110);
        var weights = new double[layers][];
        for (int l = 0; l < layers; l++) weights[l] = [.. Lesson11InitialisationBatchNorm.Gaussian(rng, w * w, weightStd).Select(v => (double)(float)v)];
        var (activationStd, gradientStd) = Lesson11InitialisationBatchNorm.ForwardBackward(input, weights, batchNorm, new Rng(111));

        var stack = new List<(Dense Dense, Layer? Norm, Layer Relu)>();
        for (int l = 0; l < layers; l++)
        {
            var dense = new Dense(w, useBias: false);
            dense.Build([w], new Rng(1));
            for (int k = 0; k < w * w; k++) dense.Weight.Value[k] = (float)weights[l][k];
            Layer? norm = batchNorm ? new BatchNorm() : null;
            norm?.Build([w], new Rng(1));
            var relu = new ReLU();
            relu.Build([w], new Rng(1));
            stack.Add((dense, norm, relu));
        }
        var h = Tensor.FromArray([.. input.Select(v => (float)v)], n, w);
        for (int l = 0; l < layers; l++)
        {
            var (dense, norm, relu) = stack[l];
            var z = dense.Forward(h, training: true);
            if (norm != null) z = norm.Forward(z, training: true);
            h = relu.Forward(z, training: true);
            Assert.Equal(activationStd[l], Std(h), activationStd[l] * 1e-4);
        }
        var g = Tensor.FromArray([.. Lesson11InitialisationBatchNorm.Gaussian(new Rng(111), n * w, 1.0).Select(v => (float)v)], n, w);
        for (int l = layers - 1; l >= 0; l--)
        {
            var (dense, norm, relu) = stack[l];
            g = relu.Backward(g);
            if (norm != null) g = norm.Backward(g);
            g = dense.Backward(g);
            Assert.Equal(gradientStd[l], Std(g), gradientStd[l] * 1e-4);
        }
    }

    private static double Std(Tensor t)
    {
        var v = t.ToArray();
        double mean = v.Average(x => (double)x);
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }

    /// <summary>θ = [W1 (2 × H) | b1 (H) | W2 (H) | b2], lessons 9 and 10's layout, into two Dense layers.</summary>
    private static void SetTwoLayerWeights(double[] theta, int H, Dense dense1, Dense dense2)
    {
        for (int k = 0; k < 2 * H; k++) dense1.Weight.Value[k] = (float)theta[k];   // both row-major, inputs × units
        for (int j = 0; j < H; j++)
        {
            dense1.Bias!.Value[j] = (float)theta[2 * H + j];
            dense2.Weight.Value[j] = (float)theta[3 * H + j];
        }
        dense2.Bias!.Value[0] = (float)theta[4 * H];
    }

    private static void AssertTwoLayerGradients(double[] g, int H, Dense dense1, Dense dense2)
    {
        static void Close(double expected, float actual, string what) =>
            Assert.True(Math.Abs(expected - actual) <= 1e-6 + 1e-4 * Math.Abs(expected), $"{what}: lesson {expected}, library {actual}");
        for (int k = 0; k < 2 * H; k++) Close(g[k], dense1.Weight.Gradient[k], $"dW1[{k}]");
        for (int j = 0; j < H; j++)
        {
            Close(g[2 * H + j], dense1.Bias!.Gradient[j], $"db1[{j}]");
            Close(g[3 * H + j], dense2.Weight.Gradient[j], $"dW2[{j}]");
        }
        Close(g[4 * H], dense2.Bias!.Gradient[0], "db2");
        Assert.True(g.Max(Math.Abs) > 1e-3, "the gradient is all but zero: nothing was compared");
    }

    private static (Tensor X, Tensor T) Batch(double[,] X, double[] T)
    {
        var x = new Tensor(T.Length, 2);
        var t = new Tensor(T.Length, 1);
        for (int s = 0; s < T.Length; s++) { x[s, 0] = (float)X[s, 0]; x[s, 1] = (float)X[s, 1]; t[s, 0] = (float)T[s]; }
        return (x, t);
    }

    /// <summary>Each step sets the first parameter's only value to √(next loss of the curve).</summary>
    private sealed class ScriptedWeight(double[] curve) : Optimizer(1f)
    {
        private int _step;

        public override void Step(IReadOnlyList<Parameter> parameters) => parameters[0].Value[0] = (float)Math.Sqrt(curve[_step++]);
    }
}
