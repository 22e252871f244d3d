using ScratchNet.Tensors;
using ScratchNet.Tests.Support;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Tensors;

/// <summary>Every kernel runs without allocating once warm: a training step built on them can repeat allocation-free.</summary>
[Trait("Category", "Kernels")]
public class TensorMathAllocationTests
{
    [Fact]
    public void KernelsDoNotAllocate()
    {
        float[] x = Random(257, 51), y = Random(257, 52), z = Random(257, 53), d = new float[257];
        var m = RandomMatrix(33, 300, 54);
        var mOut = new Tensor(33, 300); var grad = RandomMatrix(33, 300, 55);
        var mt = new Tensor(300, 33);
        float[] rowVec = Random(300, 56), colVec = Random(33, 57), rowOut = new float[300], colOut = new float[33];
        var argmax = new int[33];
        float sink = 0;
        Allocations.AssertNone(() =>
        {
            TensorMath.Add(x, y, d);
            TensorMath.Add(x, 1f, d);
            TensorMath.Subtract(x, y, d);
            TensorMath.Multiply(x, y, d);
            TensorMath.Max(x, y, d);
            TensorMath.Min(x, y, d);
            TensorMath.Scale(x, 2f, d);
            TensorMath.Square(x, d);
            TensorMath.Clip(x, -1, 1, d);
            TensorMath.Fill(d, 0.5f);
            TensorMath.AddScaled(d, 0.1f, x);
            TensorMath.MultiplyAdd(x, y, z, d);
            sink += TensorMath.Sum(x) + TensorMath.Dot(x, y) + TensorMath.SumOfSquares(x) + TensorMath.MaxAbs(x) + TensorMath.Max(x);
            TensorMath.AddRowVector(mOut, rowVec);
            TensorMath.AddColumnVector(mOut, colVec);
            TensorMath.SumOverRows(m, rowOut);
            TensorMath.SumOverColumns(m, colOut);
            TensorMath.MaxRows(m, colOut);
            TensorMath.ArgmaxRows(m, argmax);
            TensorMath.SoftmaxRows(m, mOut);
            TensorMath.SoftmaxRowsBackward(mOut, grad, mOut);
            TensorMath.LogSoftmaxRows(m, mOut);
            TensorMath.Transpose(m, mt);
        }, what: "TensorMath kernels");
        Assert.True(float.IsFinite(sink) || float.IsNaN(sink));
    }

    [Fact]
    public void TheHelperCatchesAnAllocation()
    {
        var e = Assert.ThrowsAny<Exception>(() => Allocations.AssertNone(() => GC.KeepAlive(new float[10]), what: "new float[10]"));
        Assert.Contains("new float[10] allocated", e.Message);
    }

    [Fact]
    [Trait("Category", "Kernels")]
    public void TheHelperSeesAllocationsOnOtherThreadsWhenAsked()
    {
        long bytes = Allocations.Measure(() => Task.Run(() => GC.KeepAlive(new byte[10_000])).Wait(), allThreads: true);
        Assert.True(bytes >= 10 * 10_000, $"measured {bytes} bytes");
    }
}
