using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Tensors;
using ScratchNet.Training.Presets;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

public class LayerPlumbingTests
{
    [Fact]
    public void LayerFactoryRebuildsEveryConvolutionLayer()
    {
        Layer[] layers = [new ScratchNet.Layers.Conv2D(6, 3, 2, 1, useBias: false), new MaxPool2D(3, 2), new AvgPool2D(2),
            new GlobalAveragePool(), new BatchNorm2D(0.2f, 1e-3f), new RandomShift2D(3)];
        foreach (var layer in layers)
        {
            var rebuilt = LayerFactory.Create(layer.Spec);
            Assert.Equal(layer.GetType(), rebuilt.GetType());
            Assert.Equal(layer.Spec.ToString(), rebuilt.Spec.ToString());
        }
    }

    [Fact]
    public void CnnPresetsDescribeTheSmallCnn()
    {
        foreach (var (preset, dataset) in new[] { (PresetCatalog.MnistCnn, "mnist"), (PresetCatalog.FashionCnn, "fashion-mnist") })
        {
            Assert.Equal(dataset, preset.Data.Dataset);
            Assert.True(preset.Data.ChannelsFirst);
            Assert.Equal(64, preset.BatchSize);
            Assert.Equal(1e-3f, preset.CreateOptimizer().LearningRate);
            var model = CnnModels.SmallCnn(10, ((CnnRecipe)preset.Model).MaxShift).Build([1, 28, 28], 1UL);
            Assert.Equal(184586, model.ParameterCount);
        }
        Assert.IsType<RandomShift2D>(CnnModels.SmallCnn(10, maxShift: 2).Layers[0]);
        Assert.Equal(2, ((CnnRecipe)PresetCatalog.MnistCnn.Model).MaxShift);
    }

    [Fact]
    public void InputGradientCanBeSkippedForAFirstLayer()
    {
        var rng = new Rng(6);
        var full = new ScratchNet.Layers.Conv2D(4, 3);
        var skip = new ScratchNet.Layers.Conv2D(4, 3) { ComputeInputGradient = false };
        full.Build([2, 6, 6], new Rng(1));
        skip.Build([2, 6, 6], new Rng(1));
        var x = Tensor.FromArray(Random(rng, 2 * 2 * 6 * 6), 2, 2, 6, 6);
        var g = Tensor.FromArray(Random(rng, 2 * 4 * 4 * 4), 2, 4, 4, 4);
        full.Forward(x, true);
        full.Backward(g);
        skip.Forward(x, true);
        Assert.All(skip.Backward(g).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(full.Weight.Gradient.ToArray(), skip.Weight.Gradient.ToArray());
        Assert.Equal(full.Bias!.Gradient.ToArray(), skip.Bias!.Gradient.ToArray());
        Assert.Equal("false", skip.Spec.Get("inputGradient"));
        Assert.False(((ScratchNet.Layers.Conv2D)LayerFactory.Create(skip.Spec)).ComputeInputGradient);
        Assert.False(full.Spec.Settings.ContainsKey("inputGradient"));
    }

    [Fact]
    public void SmallCnnHasTheDocumentedShapes()
    {
        var model = CnnModels.SmallCnn().Build(CnnModels.InputShape, 1UL);
        Assert.Equal([10], model.OutputShape);
        Assert.Equal([64, 8, 8], model.Layers[3].OutputShape([32, 12, 12]));
        Assert.Equal([64, 4, 4], model.Layers[5].OutputShape([64, 8, 8]));
        // conv1 832 + conv2 51,264 + dense 131,200 + dense 1,290
        Assert.Equal(832 + 51264 + 131200 + 1290, model.ParameterCount);
        var y = model.Forward(new Tensor(3, 1, 28, 28), training: true);
        Assert.True(y.HasShape(3, 10));
    }

    [Fact]
    public void InferenceInChunksGivesTheSameBitsAndBackwardStillWorks()
    {
        var rng = new Rng(8);
        var layer = new ScratchNet.Layers.Conv2D(16, 3, 1, 1);
        layer.Build([8, 32, 32], rng);
        var x = Tensor.FromArray(Random(rng, 64 * 8 * 32 * 32), 64, 8, 32, 32);
        var g = Tensor.FromArray(Random(rng, 64 * 16 * 32 * 32), 64, 16, 32, 32);
        var trained = layer.Forward(x, training: true).ToArray();
        var dxTrained = layer.Backward(g).ToArray();
        var dwTrained = layer.Weight.Gradient.ToArray();
        var inferred = layer.Forward(x, training: false).ToArray();   // 64 x 72 x 1024 floats: split in chunks
        Assert.Equal(trained, inferred);
        Assert.Equal(dxTrained, layer.Backward(g).ToArray());
        Assert.Equal(dwTrained, layer.Weight.Gradient.ToArray());
    }

    [Fact]
    public void RandomShiftMovesWholeSamplesAndItsBackwardIsTheAdjoint()
    {
        var layer = new RandomShift2D(2);
        layer.Build([2, 5, 6], new Rng(3));
        var rng = new Rng(4);
        var x = Tensor.FromArray(Random(rng, 4 * 2 * 5 * 6), 4, 2, 5, 6);
        Assert.Same(x, layer.Forward(x, training: false));
        var y = layer.Forward(x, training: true).ToArray();
        var g = Tensor.FromArray(Random(rng, y.Length), 4, 2, 5, 6);
        var dx = layer.Backward(g).ToArray();
        // <g, S x> = <Sᵀ g, x> for the linear shift S.
        double lhs = 0, rhs = 0;
        for (int i = 0; i < y.Length; i++) { lhs += (double)g.Span[i] * y[i]; rhs += (double)dx[i] * x.Span[i]; }
        Assert.Equal(lhs, rhs, 4);
        // Each sample is x moved by one (dy, dx) in [-2, 2]² for both channels, zero-filled.
        for (int n = 0; n < 4; n++)
        {
            bool found = false;
            for (int sy = -2; sy <= 2 && !found; sy++)
                for (int sx = -2; sx <= 2 && !found; sx++)
                {
                    bool ok = true;
                    for (int c = 0; c < 2 && ok; c++)
                        for (int h = 0; h < 5 && ok; h++)
                            for (int w = 0; w < 6 && ok; w++)
                            {
                                int sh = h - sy, sw = w - sx;
                                float expected = sh < 0 || sh >= 5 || sw < 0 || sw >= 6 ? 0f : x.Span[((n * 2 + c) * 5 + sh) * 6 + sw];
                                ok = y[((n * 2 + c) * 5 + h) * 6 + w] == expected;
                            }
                    found = ok;
                }
            Assert.True(found, $"sample {n} is not a shifted copy");
        }
        // Same seed, same shifts.
        var again = new RandomShift2D(2);
        again.Build([2, 5, 6], new Rng(3));
        Assert.Equal(y, again.Forward(x, training: true).ToArray());
    }
}
