using ScratchNet.Lessons;

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
}
