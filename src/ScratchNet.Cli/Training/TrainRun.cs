using ScratchNet.Cli.Progress;
using ScratchNet.Cli.Reports;

namespace ScratchNet.Cli.Training;

/// <summary>
/// `scratchnet train` around the library's <see cref="TrainingJob"/>: progress and picture observers,
/// Ctrl+C (or SIGTERM) to a checkpoint and exit code 130, then the pictures and report.html.
/// </summary>
public static class TrainRun
{
    /// <summary>Runs <paramref name="job"/> to the end, showing progress in <paramref name="view"/>.</summary>
    /// <exception cref="CliError">Interrupted (exit 130): during training, after the checkpoint is saved; after it, with the pictures not all drawn.</exception>
    public static TrainingJobResult Run(TrainingJob job, IProgressView view, CancellationToken cancel,
        bool noPlots = false, int? animationEvery = null, int? stopAfterBatches = null)
    {
        string dir = job.OutDir ?? throw new ArgumentException("scratchnet train writes to a folder: the job needs an OutDir.");
        int epochs = job.Recipe.Epochs;
        var pictures = noPlots ? null : new RunPictures(dir, job, animationEvery);
        if (job.ResumedFromEpoch == 0 && job.ResumedAt.IsStart) pictures?.OnEpoch(0, double.NaN, last: false);
        else
        {
            string source = Path.Combine(dir, ScratchNet.Serialization.Checkpoint.FileName);
            view.Note(job.ResumedAt.IsStart
                ? $"resumed from {source} after epoch {job.ResumedFromEpoch}"
                : $"resumed from {source} in epoch {job.ResumedFromEpoch + 1} after batch {job.ResumedAt.Batch} of {job.BatchesPerEpoch}");
        }
        var progress = new ProgressObserver(view, job, cancel, stopAfterBatches);
        string title = $"{job.Recipe.Name}: {job.ModelDescription}, {job.TrainingSet.Count} samples, {epochs} epochs"
            + (job.Recipe.StepsPerEpoch is int steps ? $" of {steps} steps on batches drawn at random" : "") + $", batch {job.BatchSize}";
        TrainingJobResult result;
        try
        {
            result = view.Run(title, epochs, () => job.Run(new CompositeTrainingObserver(progress, pictures), cancel));
        }
        catch (TrainingInterruptedException e)
        {
            string why = progress.SimulatedStop ? "stopped by --stop-after-batches" : "interrupted";
            string resume = $"continue with 'scratchnet train --resume {dir}'";
            throw new CliError(e.Position.IsStart
                ? $"{why} at the start of epoch {e.Epoch}: checkpoint after epoch {e.Epoch - 1} saved in {dir}; {resume}"
                : $"{why} during epoch {e.Epoch} after batch {e.Position.Batch} of {e.Batches}: checkpoint saved in {dir}; {resume}", ExitCodes.Interrupted);
        }
        if (result.History.StoppedEarly)
            view.Note($"early stopping: no validation improvement for {job.Recipe.EarlyStopping!.Patience} epochs; best epoch {result.History.BestEpoch}");
        // The model and metrics are written: a signal now skips the rest of the pictures and the report,
        // which take a second or two, rather than waiting for them.
        try
        {
            var files = pictures?.Finish(result, cancel) ?? [];
            cancel.ThrowIfCancellationRequested();
            RunReport.Write(result, files);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new CliError($"interrupted after training: {result.ModelPath}, {result.MetricsPath} and the checkpoint are written; the pictures and report.html are not", ExitCodes.Interrupted);
        }
        return result;
    }
}
