using ScratchNet.Tensors;

namespace ScratchNet.Tests;

public class TensorTests
{
    [Fact]
    public void ReshapeIsAViewSharingData()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var r = t.Reshape(3, -1);
        Assert.True(r.HasShape(3, 2));
        r[2, 1] = 60;
        Assert.Equal(60, t[1, 2]);
    }

    [Fact]
    public void SliceRowsIsAView()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 3, 2);
        var s = t.SliceRows(1, 2);
        Assert.True(s.HasShape(2, 2));
        Assert.Equal(3, s[0, 0]);
        s[1, 1] = 0;
        Assert.Equal(0, t[2, 1]);
    }

    [Fact]
    public void ShapeMismatchNamesBothShapesAndOperation()
    {
        var a = new Tensor(2, 3);
        var b = new Tensor(4, 5);
        var ex = Assert.Throws<ShapeMismatchException>(() => Gemm.MatMul(a, b));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4, 5)", ex.Message);
        Assert.Contains("MatMul", ex.Message);
    }

    [Fact]
    public void BadReshapeSaysWhy()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tensor(2, 3).Reshape(4, 2));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4, 2)", ex.Message);
    }

    [Fact]
    public void RngIsReproducibleAndRestorable()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 10; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var state = a.GetState();
        ulong next = a.NextUInt64();
        b.SetState(state);
        Assert.Equal(next, b.NextUInt64());
    }

    [Fact]
    public void TwoIntegersAfterTheArrayAreAShapeNotAnOffset()
    {
        var t = new Tensor(new float[6], 2, 3);
        Assert.True(t.HasShape(2, 3));
        Assert.Equal(0, t.Offset);
        var v = new Tensor(new float[8], 2, [2, 3]);
        Assert.Equal(2, v.Offset);
    }
}
