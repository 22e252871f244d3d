using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Training;

namespace ScratchNet.Cli.Training;

/// <summary>A model file loaded for evaluate, predict, inspect and gradcheck, with what its metadata says about using it.</summary>
public sealed class SavedModel
{
    public required string Path { get; init; }
    public required Sequential Model { get; init; }
    public required ModelMetadata Metadata { get; init; }
    /// <summary>Whether the file is a training checkpoint rather than a model file.</summary>
    public bool IsCheckpoint { get; init; }

    /// <summary>Whether the model classifies (by its metadata; a model without task metadata classifies when it has several outputs).</summary>
    public bool Classifies => Metadata.Task is "classification" || (Metadata.Task is null && Outputs > 1);

    /// <summary>Output units per sample.</summary>
    public int Outputs => Model.OutputShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Activation values per sample: the input and every layer's output, which a forward pass holds for each sample of its batch.</summary>
    public long ActivationsPerSample =>
        Model.Costs(Model.InputShape).Aggregate(LayerCost.Elements(Model.InputShape), (sum, c) => LayerCost.Plus(sum, c.OutputFloats));

    /// <summary>
    /// The batch for evaluate and predict: <see cref="Evaluation.DefaultBatchSize"/>, or
    /// <see cref="LanguageModelBatchSize"/> for a language model, made smaller for a model whose
    /// activations would otherwise pass <see cref="Limits.MaxBatchActivations"/> in one batch.
    /// </summary>
    public int InferenceBatchSize => Math.Clamp(MaxBatchSize, 1, Metadata.Vocabulary is null ? Evaluation.DefaultBatchSize : LanguageModelBatchSize);

    /// <summary>
    /// A language model's evaluation batch: every layer keeps (T, C) values a sample for its backward
    /// pass (3 MB for shakespeare-gpt), so 500 samples would hold 1.8 GB; makemore's training batch
    /// keeps it near 0.2 GB at no loss of speed (the products are (32·T) rows tall).
    /// </summary>
    public const int LanguageModelBatchSize = 32;

    /// <summary>The largest batch whose activations stay within <see cref="Limits.MaxBatchActivations"/> (0 when one sample is too many).</summary>
    public int MaxBatchSize => (int)Math.Min(Limits.MaxBatchActivations / Math.Max(1, ActivationsPerSample), int.MaxValue);

    /// <summary>Class 1 at output ≥ this for one-output classifiers (0: the output is a logit).</summary>
    /// <exception cref="CliError">The file gives a threshold that is not a finite number (exit 2).</exception>
    public float BinaryThreshold =>
        !Metadata.Extra.TryGetValue("binary_threshold", out var t) ? 0f
        : float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v
        : throw new CliError($"{Path}: binary_threshold '{TextExcerpt.Of(t)}' is not a finite number", ExitCodes.InputError);

    /// <summary>
    /// Class 1 at output ≥ this for one-output classifiers: the threshold chosen after training
    /// (<c>chosen_threshold</c>, on the logit), else <see cref="BinaryThreshold"/>.
    /// </summary>
    /// <exception cref="CliError">The file gives a threshold that is not a finite number (exit 2).</exception>
    public float DecisionThreshold =>
        !Metadata.Extra.TryGetValue("chosen_threshold", out var t) ? BinaryThreshold
        : float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v
        : throw new CliError($"{Path}: chosen_threshold '{TextExcerpt.Of(t)}' is not a finite number", ExitCodes.InputError);

    /// <summary>The training loss (saved by `scratchnet train`, with its class weights), else the usual one for the task.</summary>
    public Loss CreateLoss()
    {
        if (Metadata.Extra.GetValueOrDefault("loss") is { } name)
        {
            try
            {
                var loss = LossFactory.Create(name);
                if (Metadata.Extra.GetValueOrDefault("class_weights") is { } cw)
                {
                    var weights = System.Text.Json.JsonSerializer.Deserialize<float[]>(cw) ?? throw new ArgumentException("class_weights is null");
                    switch (loss)
                    {
                        case SoftmaxCrossEntropy ce: ce.ClassWeights = weights; break;
                        case BinaryCrossEntropyWithLogits bce: bce.ClassWeights = weights; break;
                        default: throw new ArgumentException($"class_weights given for {loss.Name}, which takes none");
                    }
                }
                return loss;
            }
            catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
            {
                throw new CliError($"{Path}: {TextExcerpt.Of(e.Message.Split('\n')[0].TrimEnd('.'), 300)}", ExitCodes.InputError);
            }
        }
        return !Classifies ? new MeanSquaredError() : Outputs == 1 ? new BinaryCrossEntropyWithLogits() : new SoftmaxCrossEntropy();
    }

    /// <summary>Loads a model file or a checkpoint; a missing or bad file is a one-line input error (exit 2).</summary>
    public static SavedModel Load(string path)
    {
        if (Directory.Exists(path) && File.Exists(System.IO.Path.Combine(path, "model.safetensors"))) path = System.IO.Path.Combine(path, "model.safetensors");
        if (!File.Exists(path)) throw new CliError($"model file '{path}' not found", ExitCodes.InputError);
        bool checkpoint;
        using (var reader = SafeTensorsReader.Open(path))
            checkpoint = reader.Metadata.GetValueOrDefault("format") == "scratchnet-checkpoint";
        if (checkpoint)
        {
            var state = Checkpoint.Load(path);
            // A checkpoint written by a bare Trainer knows its architecture but not how its inputs were
            // prepared: used as a model it could silently skip a standardisation.
            if (state.Model is null || (state.Model.Task is null && state.Model.Dataset is null))
                throw new CliError($"{path} is a training checkpoint without model metadata (how its inputs are prepared is unknown): use the run's model.safetensors, or give the Trainer CheckpointMetadata", ExitCodes.InputError);
            var model = state.BuildModel(path);
            ModelTensors.RequireFinite(model, path);
            return new SavedModel { Path = path, Model = model, Metadata = state.Model!, IsCheckpoint = true };
        }
        var (m, meta) = ModelFile.Load(path);
        return new SavedModel { Path = path, Model = m, Metadata = meta };
    }

    /// <summary>
    /// The samples to evaluate this model on from dataset <paramref name="name"/>, prepared as in
    /// training: the test split for images and 2-D sets, every row for tables and CSV files; the
    /// saved standardisation applied.
    /// </summary>
    public Dataset LoadEvaluationData(string name, string? dataDir)
    {
        var manager = new DatasetManager(new DatasetManagerOptions { DataDir = dataDir });
        var info = manager.Info(name);
        // The seed picks a generated set's test samples: a wrong one would evaluate on other data without a word.
        ulong seed = !Metadata.Extra.TryGetValue("seed", out var s) ? 1
            : ulong.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v) ? v
            : throw new CliError($"{Path}: seed '{TextExcerpt.Of(s)}' is not a whole number >= 0", ExitCodes.InputError);
        Dataset data = info.Kind switch
        {
            DatasetKind.Images => manager.Load(name, new DatasetLoadOptions { ChannelsFirst = Model.InputShape.Length == 3 }).Test,
            DatasetKind.Synthetic => manager.Load(name, new DatasetLoadOptions { Seed = seed }).Test,
            // A language model is measured on the split it was tested on: names' held-out names, a stream's last 10 %.
            DatasetKind.Text or DatasetKind.TextFile => TextTestSplit(manager, name, seed),
            _ => manager.Load(name, new DatasetLoadOptions
            {
                Target = Metadata.Target, Features = Metadata.FeatureNames.Count > 0 ? Metadata.FeatureNames : null,
                Task = Metadata.Task, TestFraction = 0, Encoding = Metadata.Encoding,
            }).Train,
        };
        if (!data.SampleShape.AsSpan().SequenceEqual(Model.InputShape))
            throw new CliError($"the model takes samples of shape {Tensors.Tensor.FormatShape(Model.InputShape)}, but '{name}' has {Tensors.Tensor.FormatShape(data.SampleShape)}", ExitCodes.InputError);
        if (Metadata.Standardizer is { } st) data = new ScaledDataset(data, st);
        // A model trained to reconstruct its input is measured against its input.
        return Metadata.Extra.GetValueOrDefault(TrainingJob.ReconstructSetting) == "true" ? new ReconstructionDataset(data) : data;
    }

    private Dataset TextTestSplit(DatasetManager manager, string name, ulong seed)
    {
        if (Model.InputShape is not [int context])
            throw new CliError($"{Path}: the model takes samples of shape {Tensors.Tensor.FormatShape(Model.InputShape)}, not a sequence of characters: '{name}' is text", ExitCodes.InputError);
        var data = manager.Load(name, new DatasetLoadOptions { Seed = seed, ContextLength = context });
        if (Metadata.Vocabulary is not { } vocabulary || data.Vocabulary is null || !vocabulary.Characters.SequenceEqual(data.Vocabulary.Characters))
            throw new CliError($"{Path}: the model's character vocabulary is not that of '{name}'; evaluate it on the text it was trained on", ExitCodes.InputError);
        return data.Test;
    }

    /// <summary>Class names from the metadata (or "0", "1", ...).</summary>
    public IReadOnlyList<string> ClassNames(int count) =>
        Metadata.ClassNames.Count == count ? Metadata.ClassNames : Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
}
