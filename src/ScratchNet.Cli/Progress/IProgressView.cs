namespace ScratchNet.Cli.Progress;

/// <summary>What a training run shows while it works: bars on a terminal, plain lines in a log.</summary>
public interface IProgressView
{
    /// <summary>Runs <paramref name="work"/> while showing progress; returns its result.</summary>
    T Run<T>(string title, int epochs, Func<T> work);

    /// <summary>An epoch begins; it has <paramref name="batches"/> batches.</summary>
    void EpochStarted(int epoch, int batches);

    /// <summary>A batch ended with this running loss and accuracy (NaN when not a classifier).</summary>
    void BatchEnded(int epoch, int batch, double loss, double accuracy, double samplesPerSecond);

    /// <summary>An epoch ended: the line to keep in the log.</summary>
    void EpochEnded(int epoch, string summary);

    /// <summary>A note (checkpoint written, early stop).</summary>
    void Note(string message);
}
