using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Lessons;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson01To02Tests
{
    [Fact]
    public void Lesson01_NeuronNumbersAndAndGate()
    {
        var r = Lesson01SingleNeuron.Run(LessonTestContext.Create());
        Assert.Equal(-0.2, r.WeightedSum, 12);       // 0.4 - 0.3 - 0.4 + 0.1
        Assert.Equal(0.0, r.Step);
        Assert.Equal(1 / (1 + Math.Exp(0.2)), r.Sigmoid, 12);
        Assert.Equal(Math.Tanh(-0.2), r.Tanh, 12);
        Assert.Equal(0.0, r.Relu);
        Assert.Equal([0, 0, 0, 1], r.AndTable);
    }

    /// <summary>
    /// The lesson's neuron against the library: a Dense(1) holding the lesson's weights and bias gives
    /// its weighted sum, and the Step, Sigmoid, Tanh and ReLU layers give its activations, on the
    /// lesson's example and on a grid of sums. The library computes in float32: agreement to 1e-6.
    /// </summary>
    [Fact]
    public void Lesson01_NeuronMatchesDenseAndTheActivationLayers()
    {
        var r = Lesson01SingleNeuron.Run(LessonTestContext.Create());
        var dense = Neuron(r.Weights, r.Bias);
        var z = dense.Forward(Tensor.FromArray([.. r.Inputs.Select(v => (float)v)], 1, r.Inputs.Length), training: false);
        Assert.Equal(r.WeightedSum, z[0], 1e-6);

        // The example's sum, then sums across the activations' bends, 0 itself included (step(0) = 0).
        double[] sums = [r.WeightedSum, .. Enumerable.Range(0, 33).Select(i => -4 + i * 0.25)];
        var input = Tensor.FromArray([.. sums.Select(v => (float)v)], sums.Length, 1);
        var cases = new (Layer Layer, Func<double, double> Lesson, double OnExample)[]
        {
            (new Step(), Lesson01SingleNeuron.Step, r.Step),
            (new Sigmoid(), Lesson01SingleNeuron.Sigmoid, r.Sigmoid),
            (new Tanh(), Math.Tanh, r.Tanh),
            (new ReLU(), Lesson01SingleNeuron.Relu, r.Relu),
        };
        foreach (var (layer, lesson, onExample) in cases)
        {
            layer.Build([1], new Rng(1));
            var y = layer.Forward(input, training: false);
            Assert.Equal(onExample, y[0], 1e-6);
            for (int i = 0; i < sums.Length; i++)
                Assert.True(Math.Abs(lesson((float)sums[i]) - y[i]) <= 1e-6, $"{layer.TypeName} at z = {sums[i]}: lesson {lesson((float)sums[i])}, library {y[i]}");
        }
    }

    [Fact]
    public void Lesson01_AndGateIsADenseLayerAndAStep()
    {
        var r = Lesson01SingleNeuron.Run(LessonTestContext.Create());
        var y = StepOfNeuron([1.0, 1.0], -1.5, Tensor.FromArray([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2));
        Assert.Equal(r.AndTable, Enumerable.Range(0, 4).Select(i => (int)y[i]));
    }

    [Fact]
    public void Lesson02_LearnsAndAndOrButNotXor()
    {
        var r = Lesson02Perceptron.Run(LessonTestContext.Create());
        Assert.Equal(0, r.And.Errors);
        Assert.Equal(0, r.Or.Errors);
        Assert.True(r.And.Epochs < 20 && r.Or.Epochs < 20);
        Assert.True(r.Xor.Errors >= 1);
        Assert.Equal(20, r.Xor.Epochs);
    }

    [Fact]
    public void Lesson02_XorNeverConvergesEvenWithManyEpochs()
    {
        var xor = Lesson02Perceptron.Train("XOR", [0, 1, 1, 0], TextWriter.Null, maxEpochs: 1000);
        Assert.True(xor.Errors >= 1);
        Assert.Equal(1000, xor.Epochs);
    }

    /// <summary>
    /// The perceptron's answer step(w·x + b) against a Dense(1) followed by the library's Step layer:
    /// with the learnt weights of the three gates (several of their sums are exactly 0, where both
    /// must say 0), and with random weights whose sums are not within float32 rounding of 0.
    /// </summary>
    [Fact]
    public void Lesson02_PerceptronAnswersMatchDenseAndStep()
    {
        var r = Lesson02Perceptron.Run(LessonTestContext.Create());
        var inputs = Tensor.FromArray([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2);
        int onTheBorder = 0;
        foreach (var gate in new[] { r.And, r.Or, r.Xor })
        {
            var y = StepOfNeuron([gate.W1, gate.W2], gate.B, inputs);
            for (int n = 0; n < 4; n++)
            {
                double x1 = inputs[n, 0], x2 = inputs[n, 1];
                Assert.Equal(Lesson02Perceptron.Predict(gate.W1, gate.W2, gate.B, x1, x2), (int)y[n]);
                if (gate.W1 * x1 + gate.W2 * x2 + gate.B == 0) onTheBorder++;
            }
        }
        Assert.True(onTheBorder >= 3, $"only {onTheBorder} sums exactly 0: the border case is not exercised");

        var rng = new Rng(2);
        int compared = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            float w1 = rng.NextUniform(-1, 1), w2 = rng.NextUniform(-1, 1), b = rng.NextUniform(-1, 1);
            var y = StepOfNeuron([w1, w2], b, inputs);
            for (int n = 0; n < 4; n++)
            {
                double x1 = inputs[n, 0], x2 = inputs[n, 1];
                if (Math.Abs(w1 * x1 + w2 * x2 + b) < 1e-5) continue;
                Assert.Equal(Lesson02Perceptron.Predict(w1, w2, b, x1, x2), (int)y[n]);
                compared++;
            }
        }
        Assert.True(compared > 780, $"only {compared} of 800 answers compared");
    }

    /// <summary>The library's Step layer on a Dense(1) with the given weights and bias.</summary>
    private static Tensor StepOfNeuron(double[] weights, double bias, Tensor inputs)
    {
        var step = new Step();
        step.Build([1], new Rng(1));
        return step.Forward(Neuron(weights, bias).Forward(inputs, training: false), training: false);
    }

    /// <summary>A Dense(1) with the given weights and bias.</summary>
    private static Dense Neuron(double[] weights, double bias)
    {
        var dense = new Dense(1);
        dense.Build([weights.Length], new Rng(1));
        for (int i = 0; i < weights.Length; i++) dense.Weight.Value[i] = (float)weights[i];
        dense.Bias!.Value[0] = (float)bias;
        return dense;
    }
}
