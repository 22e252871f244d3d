using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Initializers;
using ScratchNet.Layers.Activations;
using ScratchNet.Lessons;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

/// <summary>
/// The hand-written MLP against the library's Sequential of Dense layers: same weights copied in, same
/// batches, same optimizer. The full 2-epoch run (96.64% test accuracy) is measured by hand, not here.
/// </summary>
public class Lesson08MnistMlpTests
{
    private static readonly Lazy<(float[] Images, byte[] Labels)> TestSet = new(() =>
    {
        string folder = Path.Combine(LessonTestContext.DataFolder, "mnist");
        var (images, count, pixels) = Lesson08MnistMlp.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
        Assert.Equal(10000, count);
        Assert.Equal(784, pixels);
        return (images, Lesson08MnistMlp.ReadLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), count));
    });

    [Fact]
    public void IdxReaderGivesKnownFirstTestDigit()
    {
        var (images, labels) = TestSet.Value;
        Assert.Equal(7, labels[0]);
        Assert.Equal(2, labels[1]);
        Assert.All(images.AsSpan(0, 784).ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.True(images.AsSpan(0, 784).ToArray().Count(v => v > 0) > 50);
    }

    [Fact]
    public void IdxReaderRejectsAWrongFile()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            Lesson08MnistMlp.ReadImages(Path.Combine(LessonTestContext.DataFolder, "mnist", "t10k-labels-idx1-ubyte.gz")));
        Assert.Contains("2051", e.Message);
    }

    [Fact]
    public void IdxReaderGivesTheLibrarysMnistTestSet()
    {
        // Every label and every pixel (byte / 255 in float32) of the 10,000 test images, bit for bit.
        var (images, labels) = TestSet.Value;
        var (_, test) = new DatasetManager(new DatasetManagerOptions { AllowDownload = false }).Load("mnist");
        Assert.Equal(labels.Length, test.Count);
        var x = new Tensor(1000, 784);
        var y = new Tensor(1000);
        for (int start = 0; start < test.Count; start += 1000)
        {
            test.CopyBatch(Enumerable.Range(start, 1000).ToArray(), x, y);
            for (int n = 0; n < 1000; n++) Assert.Equal(labels[start + n], (byte)y[n]);
            Assert.True(images.AsSpan(start * 784, 1000 * 784).SequenceEqual(x.Span), $"pixels of test images {start}-{start + 999} differ");
        }
    }

    [Fact]
    public void HeInitialisationIsTheLibrarysHeNormal()
    {
        // The same generator, the same draws in the same order, N(0, 2 / fan_in). σ is √(2/784) in double
        // in the lesson and in float32 in the library: the weights agree to 1e-6 relative.
        var net = new Lesson08MnistMlp.Mlp(784, Lesson08MnistMlp.Hidden, 10, new Rng(8));
        var rng = new Rng(8);
        var w1 = new Tensor(784, Lesson08MnistMlp.Hidden);
        var w2 = new Tensor(Lesson08MnistMlp.Hidden, 10);
        new HeNormal().Fill(w1, 784, Lesson08MnistMlp.Hidden, rng);
        new HeNormal().Fill(w2, Lesson08MnistMlp.Hidden, 10, rng);
        for (int k = 0; k < net.W1.Length; k++) Assert.Equal(net.W1[k], w1[k], 1e-6 * Math.Abs(net.W1[k]));
        for (int k = 0; k < net.W2.Length; k++) Assert.Equal(net.W2[k], w2[k], 1e-6 * Math.Abs(net.W2[k]));
        Assert.All(net.b1.Concat(net.b2), b => Assert.Equal(0f, b));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.9f)]
    public void HandWrittenMlpMatchesLibrarySequential(float momentum)
    {
        var (images, labels) = TestSet.Value;
        const int hidden = 32, batchSize = 16, steps = 4;
        const float learningRate = 0.1f;
        var net = new Lesson08MnistMlp.Mlp(784, hidden, 10, new Rng(8));

        var model = new Sequential(new Dense(hidden), new ReLU(), new Dense(10)).Build([784], new Rng(1));
        var dense1 = (Dense)model.Layers[0];
        var dense2 = (Dense)model.Layers[2];
        net.W1.CopyTo(dense1.Weight.Value.Span);      // both store W as inputs × units, row-major
        net.b1.CopyTo(dense1.Bias!.Value.Span);
        net.W2.CopyTo(dense2.Weight.Value.Span);
        net.b2.CopyTo(dense2.Bias!.Value.Span);
        var loss = new SoftmaxCrossEntropy();
        Optimizer optimizer = momentum == 0 ? new Sgd(learningRate) : new Momentum(learningRate, momentum);

        var x = new Tensor(batchSize, 784);
        var t = new Tensor(batchSize);
        for (int step = 0; step < steps; step++)
        {
            int[] batch = Enumerable.Range(step * batchSize, batchSize).ToArray();
            float handLoss = Lesson08MnistMlp.TrainStep(net, images, labels, batch, learningRate, momentum);

            for (int n = 0; n < batchSize; n++)
            {
                images.AsSpan(batch[n] * 784, 784).CopyTo(x.Span.Slice(n * 784, 784));
                t[n] = labels[batch[n]];
            }
            float libraryLoss = loss.Forward(model.Forward(x, training: true), t);
            model.Backward(loss.Backward());
            optimizer.Step(model.Parameters);
            Assert.Equal(libraryLoss, handLoss, 4);
        }

        AssertClose(net.W1, dense1.Weight.Value.Span);
        AssertClose(net.b1, dense1.Bias.Value.Span);
        AssertClose(net.W2, dense2.Weight.Value.Span);
        AssertClose(net.b2, dense2.Bias.Value.Span);
    }

    [Fact]
    public void AFewHundredStepsAlreadyLearn()
    {
        var (images, labels) = TestSet.Value;
        var net = new Lesson08MnistMlp.Mlp(784, 64, 10, new Rng(8));
        // Train on the first 8000 test images for 250 steps, check on the last 2000.
        var rng = new Rng(80);
        for (int step = 0; step < 250; step++)
        {
            var batch = Enumerable.Range(0, 32).Select(_ => rng.NextInt(8000)).ToArray();
            Lesson08MnistMlp.TrainStep(net, images, labels, batch, Lesson08MnistMlp.LearningRate, Lesson08MnistMlp.Momentum);
        }
        var (accuracy, _) = Lesson08MnistMlp.Evaluate(net, images.AsSpan(8000 * 784).ToArray(), labels.AsSpan(8000).ToArray(), 2000);
        Assert.True(accuracy > 0.85, $"accuracy {accuracy}");
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f + 1e-4f * Math.Abs(expected[i]), $"element {i}: hand {expected[i]}, library {actual[i]}");
    }
}
