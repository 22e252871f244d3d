using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Recurrent;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// SimpleRNN, LSTM and GRU: backpropagation through time against central differences of a
/// double-precision forward written step by step, over several steps, returning every step or the
/// last; thread-count independence; and a sequence task only memory solves.
/// </summary>
public class RecurrentLayerTests
{
    private const int Batch = 3, Steps = 5, Features = 4, Units = 3;

    private static double Sig(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>x (B, T, C) → h (B, T, H), step by step, for a cell given as (x_t·W_x + b, h_{t−1}, c_{t−1}) → (h_t, c_t).</summary>
    private static double[] Unroll(double[] x, int gates, double[] wx, double[] wh, double[] bias, bool sequences,
        Func<double[], double[], double[], double[], (double[] H, double[] C)> cell)
    {
        int width = gates * Units;
        var output = new List<double>();
        for (int b = 0; b < Batch; b++)
        {
            var h = new double[Units];
            var c = new double[Units];
            for (int t = 0; t < Steps; t++)
            {
                var ax = new double[width];
                for (int j = 0; j < width; j++)
                {
                    double s = bias[j];
                    for (int i = 0; i < Features; i++) s += x[(b * Steps + t) * Features + i] * wx[i * width + j];
                    ax[j] = s;
                }
                (h, c) = cell(ax, h, c, wh);
                if (sequences || t == Steps - 1) output.AddRange(h);
            }
        }
        return [.. output];
    }

    /// <summary>v W_h[:, block·H .. (block+1)·H) for a state v.</summary>
    private static double Recurrent(double[] v, double[] wh, int gates, int block, int j)
    {
        double s = 0;
        for (int k = 0; k < Units; k++) s += v[k] * wh[k * gates * Units + block * Units + j];
        return s;
    }

    private static (double[], double[]) RnnCell(double[] ax, double[] h, double[] c, double[] wh) =>
        (Enumerable.Range(0, Units).Select(j => Math.Tanh(ax[j] + Recurrent(h, wh, 1, 0, j))).ToArray(), c);

    private static (double[], double[]) LstmCell(double[] ax, double[] h, double[] c, double[] wh)
    {
        var hNext = new double[Units];
        var cNext = new double[Units];
        for (int j = 0; j < Units; j++)
        {
            double i = Sig(ax[j] + Recurrent(h, wh, 4, 0, j));
            double f = Sig(ax[Units + j] + Recurrent(h, wh, 4, 1, j));
            double g = Math.Tanh(ax[2 * Units + j] + Recurrent(h, wh, 4, 2, j));
            double o = Sig(ax[3 * Units + j] + Recurrent(h, wh, 4, 3, j));
            cNext[j] = f * c[j] + i * g;
            hNext[j] = o * Math.Tanh(cNext[j]);
        }
        return (hNext, cNext);
    }

    private static (double[], double[]) GruCell(double[] ax, double[] h, double[] c, double[] wh)
    {
        var z = Enumerable.Range(0, Units).Select(j => Sig(ax[j] + Recurrent(h, wh, 3, 0, j))).ToArray();
        var r = Enumerable.Range(0, Units).Select(j => Sig(ax[Units + j] + Recurrent(h, wh, 3, 1, j))).ToArray();
        var rh = r.Select((v, k) => v * h[k]).ToArray();
        var hNext = new double[Units];
        for (int j = 0; j < Units; j++)
        {
            double n = Math.Tanh(ax[2 * Units + j] + Recurrent(rh, wh, 3, 2, j));
            hNext[j] = (1 - z[j]) * h[j] + z[j] * n;
        }
        return (hNext, c);
    }

    public static TheoryData<string, bool> Cases => new()
    {
        { "SimpleRNN", true }, { "SimpleRNN", false },
        { "LSTM", true }, { "LSTM", false },
        { "GRU", true }, { "GRU", false },
    };

    private static RecurrentLayer Create(string type, bool sequences) => type switch
    {
        "SimpleRNN" => new SimpleRnn(Units, sequences),
        "LSTM" => new Lstm(Units, sequences),
        _ => new Gru(Units, sequences),
    };

    private static DoubleGradient.LayerReference ReferenceOf(string type, bool sequences) => type switch
    {
        "SimpleRNN" => (x, p) => Unroll(x, 1, p[0], p[1], p[2], sequences, RnnCell),
        "LSTM" => (x, p) => Unroll(x, 4, p[0], p[1], p[2], sequences, LstmCell),
        _ => (x, p) => Unroll(x, 3, p[0], p[1], p[2], sequences, GruCell),
    };

    private static RecurrentLayer Built(string type, bool sequences)
    {
        var layer = Create(type, sequences);
        layer.Build([Steps, Features], new Rng(3));
        // Larger than the ±1/√H start, so that the gates leave their linear middle and every term counts.
        var rng = new Rng(4);
        foreach (var p in layer.Parameters)
            for (int i = 0; i < p.Value.Length; i++) p.Value[i] = (float)(0.8 * rng.NextGaussian());
        return layer;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackpropagationThroughTimeMatchesTheDoubleReference(string type, bool sequences)
    {
        var layer = Built(type, sequences);
        var input = DoubleGradient.Random(7, 1f, Batch, Steps, Features);
        var r = DoubleGradient.CheckLayer(layer, input, ReferenceOf(type, sequences));
        Assert.True(r.ForwardError < 1e-5, $"forward disagrees with the reference: {r}");
        Assert.True(r.Max < DoubleGradient.Tolerance, r.ToString());
        Assert.Equal(["input", "input_weight", "recurrent_weight", "bias"], r.Errors.Keys);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheSameCheckFailsWhenTheRecurrentGradientIsDropped(string type, bool sequences)
    {
        // A layer whose W_h gradient is lost must fail the same check: the check sees the recurrence.
        var input = DoubleGradient.Random(7, 1f, Batch, Steps, Features);
        var broken = DoubleGradient.CheckLayer(new ZeroRecurrentGradient(Built(type, sequences)), input, ReferenceOf(type, sequences));
        Assert.True(broken.Errors["recurrent_weight"] > 0.3, broken.ToString());
    }

    [Theory]
    [InlineData("SimpleRNN")]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void OneAndTwoThreadsGiveTheSameBits(string type)
    {
        (float[] Y, float[] Dx, float[][] Grads) Run(int threads)
        {
            using var scope = Compute.UseThreads(threads);
            var layer = Create(type, true);
            layer.Build([33, 7], new Rng(9));
            var x = DoubleGradient.Random(1, 1f, 17, 33, 7);
            var y = layer.Forward(x, training: true).Span.ToArray();
            var dx = layer.Backward(DoubleGradient.Random(2, 1f, 17, 33, Units)).Span.ToArray();
            return (y, dx, layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray());
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        for (int i = 0; i < one.Grads.Length; i++) Assert.Equal(one.Grads[i], two.Grads[i]);
    }

    [Theory]
    [InlineData("SimpleRNN")]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void SpecRebuildsTheLayerAndShapesFollowReturnSequences(string type)
    {
        var layer = Create(type, false);
        var copy = LayerFactory.Create(layer.Spec);
        Assert.Equal(layer.Spec.ToString(), copy.Spec.ToString());
        Assert.Equal([Units], layer.OutputShape([Steps, Features]));
        Assert.Equal([Steps, Units], Create(type, true).OutputShape([Steps, Features]));
        var e = Assert.Throws<ArgumentException>(() => Create(type, true).OutputShape([Features]));
        Assert.Contains("needs a sequence per sample, (steps, features), got (4)", e.Message);
    }

    [Theory]
    [InlineData("LSTM")]
    [InlineData("GRU")]
    public void RemembersTheFirstStepAcrossNoise(string type)
    {
        // The class is the sign of the first step's value; eight steps of noise follow. A model
        // without memory of step 0 cannot beat 50 %.
        const int n = 512, t = 9;
        var rng = new Rng(21);
        var x = new Tensor(n, t, 1);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < t; s++) x[i * t + s] = (float)rng.NextGaussian();
            y[i] = x[i * t] > 0 ? 1 : 0;
        }
        var data = new InMemoryDataset("first-sign", x.Reshape(n, t), y, 2);
        RecurrentLayer memory = type == "LSTM" ? new Lstm(8, returnSequences: false) : new Gru(8, returnSequences: false);
        var model = new Sequential(new ReshapeTo(t, 1), memory, new Dense(2))
            .Build([t], seed: 2);
        new Trainer(model, new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(),
            Optimizer = new Adam(learningRate: 0.02f),
            Epochs = 15,
            BatchSize = 32,
            Seed = 3,
        }).Fit(data);
        var result = Evaluation.Evaluate(model, data, new SoftmaxCrossEntropy());
        Assert.True(result.Accuracy > 0.95, $"{type}: accuracy {result.Accuracy:P1}");
    }

    /// <summary>Gives (batch, T) samples the (batch, T, 1) shape a recurrent layer reads.</summary>
    private sealed class ReshapeTo(params int[] shape) : Layer
    {
        private Tensor? _output;
        public override int[] OutputShape(int[] inputShape) => shape;
        public override Tensor Forward(Tensor input, bool training) => _output = input.Reshape([input.Dim(0), .. shape]);
        public override Tensor Backward(Tensor gradOutput) => gradOutput.Reshape([gradOutput.Dim(0), .. InputShape]);
        public override LayerSpec Spec => new("ReshapeTo", new Dictionary<string, string>());
    }

    /// <summary>A recurrent layer whose W_h gradient is lost: the check must notice.</summary>
    private sealed class ZeroRecurrentGradient(RecurrentLayer inner) : Layer
    {
        public override IReadOnlyList<Parameter> Parameters => inner.Parameters;
        public override int[] OutputShape(int[] inputShape) => inner.OutputShape(inputShape);
        public override Tensor Forward(Tensor input, bool training) => inner.Forward(input, training);
        public override Tensor Backward(Tensor gradOutput)
        {
            var dx = inner.Backward(gradOutput);
            inner.RecurrentWeight.Gradient.Span.Clear();
            return dx;
        }
        public override LayerSpec Spec => inner.Spec;
    }
}
