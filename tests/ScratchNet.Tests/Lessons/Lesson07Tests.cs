using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Lessons;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson07Tests
{
    private static readonly float[] Inputs = [0, 0, 0, 1, 1, 0, 1, 1];
    private static readonly float[] Targets = [0, 1, 1, 0];

    [Fact]
    public void HiddenLayerLearnsXor()
    {
        var r = Lesson07XorHiddenLayer.Run(LessonTestContext.Create());
        Assert.True(r.FinalLoss < 0.01, $"loss {r.FinalLoss}");
        Assert.Equal([0, 1, 1, 0], r.Outputs.Select(p => p > 0.5 ? 1 : 0).ToArray());
        // In hidden space, (0,1) and (1,0) land on the same point: the hidden layer made XOR separable.
        Assert.Equal(r.Hidden[1, 0], r.Hidden[2, 0], 2);
        Assert.Equal(r.Hidden[1, 1], r.Hidden[2, 1], 2);
    }

    /// <summary>
    /// The hand-written 2-2-1 tanh network against Sequential(Dense(2), Tanh, Dense(1)) with
    /// BinaryCrossEntropyWithLogits (σ of the logit is the lesson's p) and Sgd(0.5), from the lesson's
    /// starting weights: the forward pass, the loss and every gradient of the first step, then the loss
    /// of each of 200 steps and the weights after them. The library computes in float32; 200 steps
    /// carry its rounding along, hence 1e-5 on the first step and 1e-4 after.
    /// </summary>
    [Fact]
    public void HandWrittenNetworkMatchesLibrarySequential()
    {
        var (W1, b1, W2, b2) = Lesson07XorHiddenLayer.InitialWeights(new Rng(7));
        var model = new Sequential(new Dense(2), new Tanh(), new Dense(1)).Build([2], new Rng(1));
        var (dense1, dense2) = ((Dense)model.Layers[0], (Dense)model.Layers[2]);
        for (int k = 0; k < 4; k++) dense1.Weight.Value[k] = (float)W1[k];      // both store W as inputs × units, row-major
        for (int j = 0; j < 2; j++) { dense1.Bias!.Value[j] = (float)b1[j]; dense2.Weight.Value[j] = (float)W2[j]; }
        dense2.Bias!.Value[0] = (float)b2;
        // The lesson starts from the float32 values too, so both sides see the same numbers.
        for (int k = 0; k < 4; k++) W1[k] = dense1.Weight.Value[k];
        for (int j = 0; j < 2; j++) W2[j] = dense2.Weight.Value[j];

        var x = Tensor.FromArray(Inputs, 4, 2);
        var t = Tensor.FromArray(Targets, 4, 1);
        var loss = new BinaryCrossEntropyWithLogits();
        var sgd = new Sgd(0.5f);

        // First step in detail.
        var h = new double[4, 2];
        var p = new double[4];
        Lesson07XorHiddenLayer.Forward(W1, b1, W2, b2, h, p);
        var hidden = model.Layers[1].Forward(dense1.Forward(x, training: true), training: true);
        for (int n = 0; n < 4; n++) for (int j = 0; j < 2; j++) Assert.Equal(h[n, j], hidden[n, j], 1e-6);
        var logits = dense2.Forward(hidden, training: true);
        for (int n = 0; n < 4; n++) Assert.Equal(p[n], 1 / (1 + Math.Exp(-logits[n])), 1e-6);
        loss.Forward(logits, t);
        model.Backward(loss.Backward());
        var (dW1, db1, dW2, db2) = Lesson07XorHiddenLayer.Backward(W2, h, p);
        for (int k = 0; k < 4; k++) Assert.Equal(dW1[k], dense1.Weight.Gradient[k], 1e-5);
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(db1[j], dense1.Bias!.Gradient[j], 1e-5);
            Assert.Equal(dW2[j], dense2.Weight.Gradient[j], 1e-5);
        }
        Assert.Equal(db2, dense2.Bias.Gradient[0], 1e-5);
        Assert.NotEqual(0, dW1.Select(Math.Abs).Max(), 3);   // a real gradient, not zeros on both sides
        sgd.Step(model.Parameters);
        double lessonLoss = Lesson07XorHiddenLayer.TrainStep(W1, b1, W2, ref b2, 0.5);
        Assert.Equal(lessonLoss, loss.LastValue, 1e-5);

        for (int step = 1; step < 200; step++)
        {
            loss.Forward(model.Forward(x, training: true), t);
            model.Backward(loss.Backward());
            sgd.Step(model.Parameters);
            Assert.Equal(Lesson07XorHiddenLayer.TrainStep(W1, b1, W2, ref b2, 0.5), loss.LastValue, 1e-4);
        }
        for (int k = 0; k < 4; k++) Assert.Equal(W1[k], dense1.Weight.Value[k], 1e-4);
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(b1[j], dense1.Bias!.Value[j], 1e-4);
            Assert.Equal(W2[j], dense2.Weight.Value[j], 1e-4);
        }
        Assert.Equal(b2, dense2.Bias.Value[0], 1e-4);
    }
}
