using ScratchNet.Cli.Progress;
using ScratchNet.Data;

namespace ScratchNet.Tests.Cli;

public class DownloadProgressLinesTests
{
    [Fact]
    public void ALineWhenAFileStartsAndAtEachTenth()
    {
        var text = new StringWriter { NewLine = "\n" };
        var observer = DownloadProgressLines.To(text);
        const string url = "https://mirror/mnist/train-images-idx3-ubyte.gz";
        for (long b = 0; b <= 10_000_000; b += 250_000) observer(new DownloadProgress("mnist", url, b, 10_000_000));
        observer(new DownloadProgress("mnist", url + "2", 0, null));
        observer(new DownloadProgress("mnist", url + "2", 6_000_000, null));

        string[] lines = text.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(13, lines.Length); // 0 %, 10 %, ..., 100 %; then the second file twice (every 5 MB)
        Assert.Equal($"mnist: downloading {url}: 0.0 of 10.0 MB (0 %)", lines[0]);
        Assert.Equal($"mnist: downloading {url}: 5.0 of 10.0 MB (50 %)", lines[5]);
        Assert.Equal($"mnist: downloading {url}: 10.0 of 10.0 MB (100 %)", lines[10]);
        Assert.Equal($"mnist: downloading {url}2: 6.0 MB", lines[12]);
    }
}
