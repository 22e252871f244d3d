using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Recurrent;
using ScratchNet.Lessons;
using ScratchNet.Losses;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson13To14Tests
{
    [Fact]
    public void BigramCountsAndNetworkReachTheSameLoss()
    {
        var r = Lesson13Bigram.Run(LessonTestContext.Create());
        Assert.Equal(2.4546, r.CountLoss, 4); // makemore's bigram with add-one smoothing: 2.4544 to 2.4546
        Assert.True(r.NeuralLosses[^1] < r.NeuralLosses[0]);
        Assert.InRange(r.NeuralLosses[^1] - r.CountLoss, 0, 0.03);
        Assert.True(r.LargestProbabilityGap < 0.02, $"gap {r.LargestProbabilityGap}");
        Assert.Equal(5, r.NeuralSamples.Length);
    }

    [Fact]
    public void NeuralBigramGradientIsTheLibrarysDenseAndSoftmaxCrossEntropy()
    {
        const int v = 5;
        var rng = new Rng(13);
        var W = new double[v, v];
        for (int a = 0; a < v; a++) for (int b = 0; b < v; b++) W[a, b] = rng.NextGaussian();
        int[] xs = [0, 1, 1, 4, 2, 0, 3], ys = [1, 1, 4, 2, 0, 3, 0];
        var (loss, dW) = Lesson13Bigram.LossAndGradient(W, xs, ys);

        var dense = new Dense(v, useBias: false);
        dense.Build([v], new Rng(1));
        for (int a = 0; a < v; a++) for (int b = 0; b < v; b++) dense.Weight.Value[a * v + b] = (float)W[a, b];
        var oneHot = new Tensor(xs.Length, v);
        var targets = new Tensor(xs.Length);
        for (int i = 0; i < xs.Length; i++) { oneHot[i * v + xs[i]] = 1; targets[i] = ys[i]; }
        var ce = new SoftmaxCrossEntropy();
        float libraryLoss = ce.Forward(dense.Forward(oneHot, training: true), targets);
        dense.Backward(ce.Backward());
        Assert.Equal(loss, libraryLoss, 5);
        for (int a = 0; a < v; a++) for (int b = 0; b < v; b++) Assert.Equal(dW[a, b], dense.Weight.Gradient[a * v + b], 5);
    }

    [Fact]
    public void RecurrentNetworkChecksItsGradientsAndLearnsNames()
    {
        var r = Lesson14RecurrentNetwork.Run(LessonTestContext.Create());
        Assert.True(r.GradientError < 1e-6, $"gradient error {r.GradientError}");
        Assert.True(r.TestLossAfter < 2.3, $"held-out loss {r.TestLossAfter}");
        Assert.True(r.TestLossBefore > 3);
        Assert.Equal(8, r.Samples.Length);
    }

    [Fact]
    public void HandWrittenBackpropagationThroughTimeIsTheLibrarysSimpleRnn()
    {
        var vocabulary = CharVocabulary.FromItems(["abc"]);
        var w = new Lesson14RecurrentNetwork.Weights(vocabulary.Count, 6);
        var rng = new Rng(14);
        foreach (var m in w.Matrices) for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) m[i, j] = 0.5 * rng.NextGaussian();
        for (int j = 0; j < w.H; j++) w.B[j] = 0.3 * rng.NextGaussian();
        var (xs, _) = Lesson14RecurrentNetwork.Sequence("cab", vocabulary);
        var hs = Lesson14RecurrentNetwork.States(w, xs);
        var dh = xs.Select(_ => Enumerable.Range(0, w.H).Select(_ => rng.NextGaussian()).ToArray()).ToArray();
        var (dWx, dWh, dB) = Lesson14RecurrentNetwork.StateBackward(w, xs, hs, dh);

        var rnn = new SimpleRnn(w.H);
        rnn.Build([xs.Length, w.V], new Rng(1));
        for (int i = 0; i < w.V; i++) for (int j = 0; j < w.H; j++) rnn.InputWeight.Value[i * w.H + j] = (float)w.Wx[i, j];
        for (int i = 0; i < w.H; i++) for (int j = 0; j < w.H; j++) rnn.RecurrentWeight.Value[i * w.H + j] = (float)w.Wh[i, j];
        for (int j = 0; j < w.H; j++) rnn.Bias.Value[j] = (float)w.B[j];
        var oneHot = new Tensor(1, xs.Length, w.V);
        for (int t = 0; t < xs.Length; t++) oneHot[t * w.V + xs[t]] = 1;
        var h = rnn.Forward(oneHot, training: true);
        var gradOutput = new Tensor(1, xs.Length, w.H);
        for (int t = 0; t < xs.Length; t++) for (int j = 0; j < w.H; j++) { Assert.Equal(hs[t][j], h[t * w.H + j], 5); gradOutput[t * w.H + j] = (float)dh[t][j]; }
        rnn.Backward(gradOutput);
        for (int i = 0; i < w.V; i++) for (int j = 0; j < w.H; j++) Assert.Equal(dWx[i, j], rnn.InputWeight.Gradient[i * w.H + j], 4);
        for (int i = 0; i < w.H; i++) for (int j = 0; j < w.H; j++) Assert.Equal(dWh[i, j], rnn.RecurrentWeight.Gradient[i * w.H + j], 4);
        for (int j = 0; j < w.H; j++) Assert.Equal(dB[j], rnn.Bias.Gradient[j], 4);
    }
}
