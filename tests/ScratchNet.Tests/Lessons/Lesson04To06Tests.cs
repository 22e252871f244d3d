using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Lessons;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson04To06Tests
{
    [Fact]
    public void Lesson04_CrossEntropyPunishesConfidentMistakesAndKeepsItsGradient()
    {
        var r = Lesson04LossFunctions.Run(LessonTestContext.Create());
        Assert.Equal(0.9801, r.MseAtP001, 10);
        Assert.Equal(-Math.Log(0.01), r.CrossEntropyAtP001, 10);
        Assert.Equal(-0.019602, r.MseGradientAtP001, 6);
        Assert.Equal(-0.99, r.CrossEntropyGradientAtP001, 10);
        Assert.Equal(0.659001, r.SoftmaxProbabilities[0], 5);
        Assert.Equal(1.0, r.SoftmaxProbabilities.Sum(), 12);
        Assert.Equal(0.417030, r.SoftmaxCrossEntropy, 5);
        Assert.Equal(25.75, r.MseOfErrors, 12);
        Assert.Equal(3.25, r.MeanAbsoluteOfErrors, 12);
    }

    [Fact]
    public void Lesson04_SoftmaxCrossEntropyMatchesTheLibrary()
    {
        var loss = new SoftmaxCrossEntropy();
        float value = loss.Forward(Tensor.FromArray([2f, 1f, 0.1f], 1, 3), Tensor.FromArray([0f], 1));
        var p = Lesson04LossFunctions.Softmax([2.0, 1.0, 0.1]);
        Assert.Equal(-Math.Log(p[0]), value, 5);
        var g = loss.Backward();
        Assert.Equal(p[0] - 1, g[0], 5);
        Assert.Equal(p[1], g[1], 5);
    }

    /// <summary>
    /// Lesson 4's squared error and binary cross-entropy, and the two gradients dL/dz it derives by
    /// the chain rule at p = σ(z) = 0.01, against the library: MeanSquaredError, a Sigmoid layer
    /// followed by MeanSquaredError, and BinaryCrossEntropyWithLogits. float32 rounding of z moves p by
    /// about 1e-9: tolerance 1e-6.
    /// </summary>
    [Fact]
    public void Lesson04_MseAndBinaryCrossEntropyMatchTheLibrary()
    {
        var r = Lesson04LossFunctions.Run(LessonTestContext.Create());
        var mse = new MeanSquaredError();
        mse.Forward(Tensor.FromArray([1f, -1f, 1f, 10f], 4), new Tensor(4));
        Assert.Equal(r.MseOfErrors, mse.LastValue, 1e-12);

        float z = (float)Math.Log(0.01 / 0.99);
        var sigmoid = new Sigmoid();
        sigmoid.Build([1], new Rng(1));
        var p = sigmoid.Forward(Tensor.FromArray([z], 1, 1), training: true);
        mse.Forward(p, Tensor.FromArray([1f], 1, 1));
        Assert.Equal(r.MseAtP001, mse.LastValue, 1e-6);
        Assert.Equal(r.MseGradientAtP001, sigmoid.Backward(mse.Backward())[0], 1e-6);

        var bce = new BinaryCrossEntropyWithLogits();
        bce.Forward(Tensor.FromArray([z], 1, 1), Tensor.FromArray([1f], 1, 1));
        Assert.Equal(r.CrossEntropyAtP001, bce.LastValue, 1e-6);
        Assert.Equal(r.CrossEntropyGradientAtP001, bce.Backward()[0], 1e-6);

        // The lesson's CrossEntropy(p, t) on both targets and across p.
        foreach (double probability in new[] { 0.01, 0.3, 0.5, 0.9, 0.99 })
            foreach (double target in new[] { 0.0, 1.0 })
            {
                float logit = (float)Math.Log(probability / (1 - probability));
                bce.Forward(Tensor.FromArray([logit], 1, 1), Tensor.FromArray([(float)target], 1, 1));
                double pOfLogit = 1 / (1 + Math.Exp(-logit));
                Assert.Equal(Lesson04LossFunctions.CrossEntropy(pOfLogit, target), bce.LastValue, 1e-9);
                Assert.Equal(pOfLogit - target, bce.Backward()[0], 1e-7);
                // The library subtracts in float32 before squaring: one rounding of p − t.
                mse.Forward(Tensor.FromArray([(float)probability], 1), Tensor.FromArray([(float)target], 1));
                Assert.Equal(Lesson04LossFunctions.Mse((float)probability, target), mse.LastValue, 1e-7);
            }
    }

    [Fact]
    public void Lesson05_ChainRuleMatchesNumericalGradient()
    {
        var r = Lesson05Backpropagation.Run(LessonTestContext.Create());
        Assert.True(r.MaxRelativeError < 1e-7, $"relative error {r.MaxRelativeError}");
        Assert.Equal(-0.219677, r.AnalyticGradient[3], 6);
        Assert.True(r.Losses[^1] < 0.01 * r.Losses[0]);
    }

    [Fact]
    public void Lesson05_HandGradientMatchesLibraryDenseSigmoidMse()
    {
        double[] theta = [0.3, 0.8, -0.5, 0.1];
        var hand = Lesson05Backpropagation.Gradient(theta);
        var model = new Sequential(new Dense(1), new Sigmoid()).Build([3], new Rng(5));
        var dense = (Dense)model.Layers[0];
        for (int i = 0; i < 3; i++) dense.Weight.Value[i] = (float)theta[i];
        dense.Bias!.Value[0] = (float)theta[3];
        var loss = new MeanSquaredError();
        loss.Forward(model.Forward(Tensor.FromArray([0.5f, -1.2f, 2.0f], 1, 3), training: true), Tensor.FromArray([1f], 1, 1));
        model.Backward(loss.Backward());
        for (int i = 0; i < 3; i++) Assert.Equal(hand[i], dense.Weight.Gradient[i], 5);
        Assert.Equal(hand[3], dense.Bias.Gradient[0], 5);
    }

    [Fact]
    public void Lesson06_NeuronByNeuronEqualsMatrixProductEqualsLibraryGemm()
    {
        var r = Lesson06LayerAsMatrix.Run(LessonTestContext.Create());
        Assert.Equal(0f, r.MaxDifference);
        Assert.Equal(Lesson06LayerAsMatrix.BatchSize * Lesson06LayerAsMatrix.Outputs, r.Y.Length);
        Assert.Equal(60, r.MultiplyAdds);

        var rng = new Rng(60);
        int batch = 7, inputs = 33, outputs = 5;
        var X = Enumerable.Range(0, batch * inputs).Select(_ => rng.NextUniform(-1, 1)).ToArray();
        var W = Enumerable.Range(0, inputs * outputs).Select(_ => rng.NextUniform(-1, 1)).ToArray();
        var b = Enumerable.Range(0, outputs).Select(_ => rng.NextUniform(-1, 1)).ToArray();
        var lesson = Lesson06LayerAsMatrix.MatMulAddBias(X, W, b, batch, inputs, outputs);
        var library = Gemm.MatMul(Tensor.FromArray(X, batch, inputs), Tensor.FromArray(W, inputs, outputs));
        for (int n = 0; n < batch; n++)
            for (int j = 0; j < outputs; j++)
                Assert.Equal(lesson[n * outputs + j], library[n, j] + b[j], 4);
    }
}
