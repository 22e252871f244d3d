using Spectre.Console;

namespace ScratchNet.Cli.Progress;

/// <summary>Progress bars for a terminal: one for the epochs, one for the batches of the current epoch.</summary>
public sealed class SpectreProgressView(IAnsiConsole console) : IProgressView
{
    private ProgressTask? _epochTask;
    private ProgressTask? _batchTask;
    private int _epochs;

    public T Run<T>(string title, int epochs, Func<T> work)
    {
        _epochs = epochs;
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                _epochTask = ctx.AddTask($"epochs 0/{epochs}", maxValue: Math.Max(1, epochs));
                _batchTask = ctx.AddTask("batches", maxValue: 1);
                result = work();
                _batchTask.StopTask();
                _epochTask.StopTask();
            });
        return result;
    }

    public void EpochStarted(int epoch, int batches)
    {
        if (_batchTask is null) return;
        _batchTask.MaxValue = Math.Max(1, batches);
        _batchTask.Value = 0;
        _batchTask.Description = $"epoch {epoch}";
    }

    public void BatchEnded(int epoch, int batch, double loss, double accuracy, double samplesPerSecond)
    {
        if (_batchTask is null) return;
        _batchTask.Value = batch;
        string acc = double.IsNaN(accuracy) ? "" : $" acc {accuracy:P1}";
        _batchTask.Description = Markup.Escape($"epoch {epoch}: loss {loss:F4}{acc} {samplesPerSecond:N0}/s");
    }

    public void EpochEnded(int epoch, string summary)
    {
        if (_epochTask is not null)
        {
            _epochTask.Value = epoch;
            _epochTask.Description = $"epochs {epoch}/{_epochs}";
        }
        if (ProgressViews.ShowsEpoch(epoch, _epochs)) console.MarkupLine(Markup.Escape($"epoch {epoch}/{_epochs}: {summary}"));
    }

    public void Note(string message) => console.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
}
