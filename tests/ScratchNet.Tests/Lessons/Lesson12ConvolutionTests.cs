using ScratchNet.Layers;
using ScratchNet.Lessons;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson12ConvolutionTests
{
    [Fact]
    public void GradientsCheckAndTheSobelFilterIsLearntBack()
    {
        var r = Lesson12Convolution.Run(LessonTestContext.Create());
        Assert.Equal(26, r.OutputSize);
        Assert.True(r.FilterGradientError < 1e-6, $"filter gradient error {r.FilterGradientError}");
        Assert.True(r.ImageGradientError < 1e-6, $"image gradient error {r.ImageGradientError}");
        Assert.True(r.LearntFilterError < 1e-3, $"learnt filter off by {r.LearntFilterError}");
        Assert.True(r.OutputMax > 1);
    }

    [Fact]
    public void HandConvolutionMatchesLibraryConv2D()
    {
        var rng = new Rng(12);
        int size = 9;
        var X = new double[size, size];
        for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) X[i, j] = rng.NextUniform(-1, 1);
        var K = new double[3, 3];
        for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) K[u, v] = rng.NextUniform(-1, 1);
        const double bias = 0.25;
        int outSize = size - 2;
        var G = new double[outSize, outSize];
        for (int i = 0; i < outSize; i++) for (int j = 0; j < outSize; j++) G[i, j] = rng.NextUniform(-1, 1);

        var Y = Lesson12Convolution.Convolve(X, K, bias);
        var (dK, dB, dX) = Lesson12Convolution.Backward(X, K, G);

        var conv = new Conv2D(outChannels: 1, kernelSize: 3);
        conv.Build([1, size, size], new Rng(1));
        for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) conv.Weight.Value[u * 3 + v] = (float)K[u, v];
        conv.Bias!.Value[0] = (float)bias;
        var input = new Tensor(1, 1, size, size);
        for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) input[i * size + j] = (float)X[i, j];
        var y = conv.Forward(input, training: true);
        Assert.Equal([1, 1, outSize, outSize], y.ShapeArray());
        for (int i = 0; i < outSize; i++) for (int j = 0; j < outSize; j++) Assert.Equal(Y[i, j], y[i * outSize + j], 5);

        var gradOutput = new Tensor(1, 1, outSize, outSize);
        for (int i = 0; i < outSize; i++) for (int j = 0; j < outSize; j++) gradOutput[i * outSize + j] = (float)G[i, j];
        var dx = conv.Backward(gradOutput);
        for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) Assert.Equal(dK[u, v], conv.Weight.Gradient[u * 3 + v], 4);
        Assert.Equal(dB, conv.Bias.Gradient[0], 4);
        for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) Assert.Equal(dX[i, j], dx[i * size + j], 5);
    }
}
