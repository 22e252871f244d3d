using System.Globalization;
using ScratchNet.Cli.Progress;
using ScratchNet.Cli.Reports;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Training;

/// <summary>
/// `scratchnet train ... --folds K` around the library's <see cref="CrossValidation"/>: a note as each
/// fold starts, Ctrl+C (or SIGTERM) to exit code 130 with nothing written, then report.html and the
/// per-fold table with mean ± standard deviation on the console (or the metrics, less the test rows, as one JSON line).
/// </summary>
public static class CrossValidationRun
{
    /// <summary>Runs the K folds of <paramref name="recipe"/>; returns the exit code.</summary>
    /// <param name="recipe">The recipe with the command line's changes.</param>
    /// <param name="folds">K.</param>
    /// <param name="options">Where and how (its output folder gets metrics.json and report.html).</param>
    /// <param name="view">Where the notes go.</param>
    /// <param name="json">With --json: stdout, for the metrics as one line; else null.</param>
    /// <param name="console">Without --json: stdout, for the table; else null.</param>
    /// <param name="cancel">Stops the run between two batches.</param>
    /// <exception cref="CliError">Interrupted (exit 130), nothing written.</exception>
    public static int Run(Recipe recipe, int folds, TrainingJobOptions options, IProgressView view, TextWriter? json, TextWriter? console, CancellationToken cancel)
    {
        var ci = CultureInfo.InvariantCulture;
        CrossValidationResult result;
        try
        {
            result = CrossValidation.Run(recipe, folds, options, (i, job) =>
            {
                view.Note($"fold {i + 1}/{folds}: {job.ModelDescription}, {job.TrainingSet.Count} training samples, {job.Data.Test.Count} test samples, {job.Recipe.Epochs} epochs");
                return null;
            }, cancel);
        }
        catch (Exception e) when (e is TrainingInterruptedException or OperationCanceledException)
        {
            throw new CliError($"interrupted during the cross-validation of {recipe.Name}: nothing was written", ExitCodes.Interrupted);
        }
        foreach (var note in result.Notes) view.Note(note);
        string report = CrossValidationReport.Write(result);
        if (json is not null)
        {
            // metrics.json names the held-out rows; the console gets the figures.
            json.WriteLine(result.ToJson(indented: false, testRows: false));
            return ExitCodes.Success;
        }
        console!.WriteLine(string.Create(ci, $"{recipe.Name}: {folds}-fold cross-validation{(result.Stratified ? ", stratified by class" : "")}, seed {recipe.Seed}"));
        foreach (var line in CrossValidationReport.Table(result)) console.WriteLine(line);
        console.WriteLine($"wrote {report}, {result.MetricsPath} (no model: train without --folds for one)");
        return ExitCodes.Success;
    }
}
