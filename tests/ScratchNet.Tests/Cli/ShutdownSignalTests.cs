using ScratchNet.Cli;

namespace ScratchNet.Tests.Cli;

public class ShutdownSignalTests
{
    [Fact]
    public void ShutdownSignalCancelsItsToken()
    {
        using var s = ShutdownSignal.Register();
        Assert.False(s.IsRequested);
        s.RequestShutdown();
        Assert.True(s.Token.IsCancellationRequested);
        Assert.Equal("request", s.Reason);
    }
}
