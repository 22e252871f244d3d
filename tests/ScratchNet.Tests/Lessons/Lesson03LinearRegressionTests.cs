using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Lessons;
using ScratchNet.Losses;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson03LinearRegressionTests
{
    [Fact]
    public void BothVersionsReachTheLeastSquaresLine()
    {
        var r = Lesson03LinearRegression.Run(LessonTestContext.Create());
        Assert.Equal(7.0326, r.Intercept, 4);
        Assert.Equal(0.047537, r.Slope, 6);
        Assert.Equal(7.0326, r.LeastSquaresIntercept, 4);
        Assert.Equal(0.047537, r.LeastSquaresSlope, 6);
        Assert.Equal(r.EducationalW, r.MatrixW, 12);
        Assert.Equal(r.EducationalB, r.MatrixB, 12);
        Assert.True(r.Losses[^1] < r.Losses[0]);
    }

    [Fact]
    public void EducationalMatrixAndLibraryDenseAgreeStepByStep()
    {
        var (tv, sales) = Lesson03LinearRegression.LoadTvMarketing(Path.Combine(LessonTestContext.DataFolder, "tvmarketing.csv"));
        var x = Lesson03LinearRegression.Standardise(tv).Standardised;
        var y = Lesson03LinearRegression.Standardise(sales).Standardised;
        const double w0 = 0.5, b0 = -0.3, learningRate = 0.1;
        const int steps = 7;

        var (w, b, _) = Lesson03LinearRegression.TrainEducational(x, y, w0, b0, learningRate, steps);
        var theta = Lesson03LinearRegression.TrainMatrix(x, y, new[,] { { w0 }, { b0 } }, learningRate, steps);

        // The library: Dense(1) with the same starting weight and bias, full batch, Sgd + MeanSquaredError.
        var dense = new Dense(1);
        dense.Build([1], new Rng(3));
        dense.Weight.Value[0] = (float)w0;
        dense.Bias!.Value[0] = (float)b0;
        var input = Tensor.FromArray(x.Select(v => (float)v).ToArray(), x.Length, 1);
        var target = Tensor.FromArray(y.Select(v => (float)v).ToArray(), y.Length, 1);
        var loss = new MeanSquaredError();
        var sgd = new Sgd((float)learningRate);
        for (int s = 0; s < steps; s++)
        {
            loss.Forward(dense.Forward(input, training: true), target);
            dense.Backward(loss.Backward());
            sgd.Step(dense.Parameters);
        }

        Assert.Equal(w, theta[0, 0], 12);
        Assert.Equal(b, theta[1, 0], 12);
        Assert.Equal(w, dense.Weight.Value[0], 5);
        Assert.Equal(b, dense.Bias.Value[0], 5);
        Assert.NotEqual(w0, w, 3);   // it moved
    }

    /// <summary>
    /// The lesson's CSV reading and standardisation against the library's tv-marketing dataset and
    /// Standardizer (z-score with the population standard deviation, as the lesson): the same 200 rows,
    /// the same mean and standard deviation, the same standardised values, to float32 precision.
    /// </summary>
    [Fact]
    public void CsvAndStandardisationMatchTheLibrary()
    {
        var (tv, sales) = Lesson03LinearRegression.LoadTvMarketing(Path.Combine(LessonTestContext.DataFolder, "tvmarketing.csv"));
        var data = (InMemoryDataset)new DatasetManager().Load("tv-marketing", new DatasetLoadOptions { TestFraction = 0 }).Train;
        Assert.Equal(tv.Length, data.Count);
        for (int i = 0; i < tv.Length; i++)
        {
            Assert.Equal((float)tv[i], data.Features[i, 0]);
            Assert.Equal((float)sales[i], data.Targets[i, 0]);
        }

        var (standardised, mean, std) = Lesson03LinearRegression.Standardise(tv);
        var standardizer = Standardizer.Fit(data.Features, StandardizeMode.ZScore);
        Assert.Equal(mean, standardizer.Shift[0], 1e-6 * mean);
        Assert.Equal(std, standardizer.Scale[0], 1e-6 * std);
        var features = Tensor.FromArray(data.Features.ToArray(), data.Count, 1);
        standardizer.Transform(features);
        for (int i = 0; i < tv.Length; i++) Assert.Equal(standardised[i], features[i, 0], 1e-5);
    }
}
