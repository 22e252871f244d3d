using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Data;

public class DatasetTakeTests
{
    private static InMemoryDataset Points() =>
        new("points", Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 2), Tensor.FromArray([0, 1, 2, 1, 0], 5), classCount: 3);

    [Fact]
    public void TakeGivesTheFirstSamplesAsCopyBatchWritesThem()
    {
        var (x, y) = Points().Take(3);
        Assert.Equal([3, 2], x.ShapeArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6], x.Span.ToArray());
        Assert.Equal([0f, 1, 2], y.Span.ToArray());
    }

    [Fact]
    public void TakeStopsAtTheLastSampleAndRefusesANegativeCount()
    {
        var (x, y) = Points().Take(99);
        Assert.Equal(5, x.Dim(0));
        Assert.Equal(5, y.Length);
        Assert.Equal(0, Points().Take(0).Features.Dim(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Points().Take(-1));
    }
}
