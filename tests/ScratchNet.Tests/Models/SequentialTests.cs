using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Models;

public class SequentialTests
{
    [Fact]
    public void SummaryListsLayersShapesAndCounts()
    {
        var model = new Sequential(new Flatten(), new Dense(16, new HeNormal()), new BatchNorm(), new ReLU(), new Dropout(0.5f), new Dense(10)).Build([4, 4], 1);
        string summary = model.Summary();
        var lines = summary.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.StartsWith("#", lines[0]);
        Assert.Contains("Output shape", lines[0]);
        Assert.Contains("Input", lines[2]);
        Assert.Contains("(4, 4)", lines[2]);
        Assert.Matches(@"^0\s+Flatten\s+\(16\)\s+0$", lines[3]);
        Assert.Matches(@"^1\s+Dense\(units=16, weightInit=HeNormal, useBias=true\)\s+\(16\)\s+272$", lines[4]);
        Assert.Matches(@"^2\s+BatchNorm\(momentum=0.1, epsilon=1E-05\)\s+\(16\)\s+32$", lines[5]);
        Assert.Matches(@"^3\s+ReLU\s+\(16\)\s+0$", lines[6]);
        Assert.Matches(@"^4\s+Dropout\(rate=0.5\)\s+\(16\)\s+0$", lines[7]);
        Assert.Matches(@"^5\s+Dense\(units=10, weightInit=XavierUniform, useBias=true\)\s+\(10\)\s+170$", lines[8]);
        Assert.Contains("Trainable parameters: 474", summary);
        Assert.Contains("Non-trainable values (buffers): 32", summary);
    }

    [Fact]
    public void SummaryBeforeBuildShowsUnknownShapes()
    {
        string summary = new Sequential(new Dense(3), new ReLU()).Summary();
        Assert.Contains("Dense(units=3", summary);
        Assert.Contains("?", summary);
    }

    [Fact]
    public void FromSpecsRebuildsTheSameModel()
    {
        var a = new Sequential(new Dense(8, new HeUniform()), new LeakyReLU(0.2f), new Dropout(0.25f), new Dense(3, useBias: false), new Softmax()).Build([5], 9);
        var b = Sequential.FromSpecs(a.Specs).Build([5], 9);
        Assert.Equal(a.Summary(), b.Summary());
        for (int i = 0; i < a.Parameters.Count; i++)
            Assert.Equal(a.Parameters[i].Value.ToArray(), b.Parameters[i].Value.ToArray());
        var x = Layers.DoubleGradient.Random(1, 1f, 4, 5);
        Assert.Equal(a.Forward(x, training: true).ToArray(), b.Forward(x, training: true).ToArray());
    }

    [Fact]
    public void SteadyStateTrainingStepDoesNotAllocate()
    {
        var model = new Sequential(new Dense(12, new HeNormal()), new ReLU(), new Dense(4)).Build([10], 1);
        var loss = new SoftmaxCrossEntropy();
        var x = Layers.DoubleGradient.Random(2, 1f, 8, 10);
        var t = Tensor.FromArray([0, 1, 2, 3, 0, 1, 2, 3], 8);
        var parameters = model.Parameters;
        void Step()
        {
            loss.Forward(model.Forward(x, training: true), t);
            model.Backward(loss.Backward());
            for (int i = 0; i < parameters.Count; i++) TensorMath.AddScaled(parameters[i].Value.Span, -0.1f, parameters[i].Gradient.Span);
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ForwardBeforeBuildIsAClearError() =>
        Assert.Contains("not built", Assert.Throws<InvalidOperationException>(() => new Sequential(new Dense(2)).Forward(new Tensor(1, 2))).Message);
}
