using ScratchNet.Lessons;

namespace ScratchNet.Tests.Lessons;

public class Lesson07Tests
{
    [Fact]
    public void HiddenLayerLearnsXor()
    {
        var r = Lesson07XorHiddenLayer.Run(LessonTestContext.Create());
        Assert.True(r.FinalLoss < 0.01, $"loss {r.FinalLoss}");
        Assert.Equal([0, 1, 1, 0], r.Outputs.Select(p => p > 0.5 ? 1 : 0).ToArray());
        // In hidden space, (0,1) and (1,0) land on the same point: the hidden layer made XOR separable.
        Assert.Equal(r.Hidden[1, 0], r.Hidden[2, 0], 2);
        Assert.Equal(r.Hidden[1, 1], r.Hidden[2, 1], 2);
    }
}
