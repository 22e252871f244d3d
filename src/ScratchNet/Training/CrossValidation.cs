using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Training.Presets;

namespace ScratchNet.Training;

/// <summary>
/// K-fold cross-validation of a table recipe: the rows dealt into K folds from the recipe's seed
/// (<see cref="DatasetSplitter.FoldOf"/>, stratified by class for classification), and for each fold
/// one <see cref="TrainingJob"/> of the recipe with that fold as its test split (the encoding, scaling,
/// validation split and threshold fitted on the other K - 1 folds alone, as a single run fits them on
/// its training split). The estimate is the K test metrics, their mean and their standard deviation.
/// </summary>
/// <remarks>
/// No model is written: each fold's model saw only (K - 1)/K of the rows, and which of them to keep
/// would be arbitrary. Train the recipe without folds for the model to use; cross-validation says
/// how well such a model does, and how much that figure moves with the rows held out. With an output
/// folder, only metrics.json is written there (<see cref="CrossValidationResult.ToJson"/>), atomically,
/// the folder locked for the whole run (<see cref="RunFolderLock"/>).
/// </remarks>
/// <example>
/// <code>
/// var cv = CrossValidation.Run(PresetCatalog.Churn, folds: 5);
/// Console.WriteLine($"ROC-AUC {cv.Mean("final_test_roc_auc"):F4} ± {cv.StandardDeviation("final_test_roc_auc"):F4}");
/// </code>
/// </example>
public static class CrossValidation
{
    /// <summary>Runs the K folds of <paramref name="recipe"/> one after the other and, with an output folder, writes metrics.json there.</summary>
    /// <param name="recipe">A recipe on a table or CSV file (its <see cref="DataRecipe.Fold"/> unset; its test fraction is not used).</param>
    /// <param name="folds">K, in [2, <see cref="Limits.MaxFolds"/>] and at most the table's rows.</param>
    /// <param name="options">Where and how (the output folder gets metrics.json only; null: nothing written, all threads).</param>
    /// <param name="onFold">Called before fold i (0-based) trains, with its job; may return an observer of its training (progress), or null.</param>
    /// <param name="cancellationToken">Stops the run between two batches (<see cref="TrainingInterruptedException"/>; nothing is written).</param>
    /// <exception cref="ArgumentException">K is out of range, the recipe already names a fold or is not a table recipe, or an option is wrong.</exception>
    /// <exception cref="DataFormatException">The data is missing or malformed, or has fewer rows than folds.</exception>
    /// <exception cref="RunFolderException">The output folder cannot be written, or another run holds it.</exception>
    /// <exception cref="TrainingDivergedException">A fold's training diverged (nothing is written).</exception>
    /// <exception cref="TrainingInterruptedException">Stopped between two batches (nothing is written).</exception>
    public static CrossValidationResult Run(Recipe recipe, int folds, TrainingJobOptions? options = null,
        Func<int, TrainingJob, ITrainingObserver?>? onFold = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (folds < 2 || folds > Limits.MaxFolds) throw new ArgumentException($"Cross-validation needs 2 to {Limits.MaxFolds:N0} folds (got {folds}).");
        if (recipe.Data.Fold is not null) throw new ArgumentException("The recipe already names a fold (DataRecipe.Fold): cross-validation sets it for each fold.");
        options ??= new TrainingJobOptions();
        recipe.Validate();
        using var folder = options.OutDir is null ? null : RunFolderLock.Acquire(options.OutDir);
        // Its metrics.json would then describe another model than the one beside it.
        if (options.OutDir is not null && File.Exists(Path.Combine(options.OutDir, TrainingJob.ModelFileName)))
            throw new ArgumentException($"{options.OutDir} holds a trained model ({TrainingJob.ModelFileName}): cross-validation writes no model, so its metrics.json there would not describe that one; give another output folder.");
        // Each fold trains in memory: no model, no checkpoint.
        var foldOptions = new TrainingJobOptions
        {
            Threads = options.Threads, DataDir = options.DataDir, AllowDownload = options.AllowDownload,
            OnDownloadProgress = options.OnDownloadProgress, Engines = options.Engines, CheckpointEvery = 0,
        };
        var results = new List<TrainingJobResult>(folds);
        for (int i = 0; i < folds; i++)
        {
            var foldRecipe = recipe with { Data = recipe.Data with { Fold = new CrossValidationFold { Index = i, Count = folds } } };
            using var job = TrainingJob.Create(foldRecipe, foldOptions, cancellationToken);
            var observer = onFold?.Invoke(i, job);
            results.Add(job.Run(observer, cancellationToken));
        }
        var result = new CrossValidationResult(recipe, results, options.OutDir, folder?.Notes ?? []);
        if (result.MetricsPath is { } path)
            AtomicFile.Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(result.ToJson())));
        return result;
    }
}
