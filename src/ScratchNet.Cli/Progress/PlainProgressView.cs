using System.Diagnostics;

namespace ScratchNet.Cli.Progress;

/// <summary>Progress as plain lines: one per epoch, and a batch line every few seconds, so CI logs stay readable.</summary>
public sealed class PlainProgressView(TextWriter output) : IProgressView
{
    private readonly Stopwatch _sinceLine = new();
    private int _epochs;

    public T Run<T>(string title, int epochs, Func<T> work)
    {
        _epochs = epochs;
        output.WriteLine(title);
        return work();
    }

    public void EpochStarted(int epoch, int batches) => _sinceLine.Restart();

    public void BatchEnded(int epoch, int batch, double loss, double accuracy, double samplesPerSecond)
    {
        if (_sinceLine.Elapsed.TotalSeconds < 5) return;
        _sinceLine.Restart();
        output.WriteLine($"  epoch {epoch}/{_epochs} batch {batch}: loss {loss:F4}{(double.IsNaN(accuracy) ? "" : $", accuracy {accuracy:P2}")}, {samplesPerSecond:N0} samples/s");
    }

    public void EpochEnded(int epoch, string summary)
    {
        if (ProgressViews.ShowsEpoch(epoch, _epochs)) output.WriteLine($"epoch {epoch}/{_epochs}: {summary}");
    }

    public void Note(string message) => output.WriteLine(message);
}
