using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training.Presets;

/// <summary>
/// A training recipe, as data: what to load, the model, the loss, the optimizer and its schedule, the
/// epochs, the batch size, the seed and the extras (regularisation, early stopping, a validation split).
/// A preset is a named recipe (<see cref="PresetCatalog"/>); a changed recipe is a copy made with
/// <c>with</c>, so nothing is patched:
/// <code>
/// var recipe = PresetCatalog.MnistMlp with { Epochs = 3, Optimizer = PresetCatalog.MnistMlp.Optimizer with { LearningRate = 3e-4 } };
/// TrainingJobResult result = TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = "runs/mnist" });
/// </code>
/// The same recipe gives the same bits through the library and through <c>scratchnet train</c>.
/// </summary>
public sealed record Recipe
{
    /// <summary>The name used on the command line and in reports ("mnist-mlp").</summary>
    public required string Name { get; init; }

    /// <summary>One line saying what it trains and how.</summary>
    public string Description { get; init; } = "";

    /// <summary>What to load and how to prepare it.</summary>
    public required DataRecipe Data { get; init; }

    /// <summary>The network, built once the data is loaded (its input shape and number of outputs come from the data).</summary>
    public required ModelRecipe Model { get; init; }

    /// <summary>The loss by <see cref="LossFactory"/> name; null: softmax cross-entropy for classes, mean squared error for values.</summary>
    public string? Loss { get; init; }

    /// <summary>The optimizer and η₀, its base learning rate.</summary>
    public required OptimizerRecipe Optimizer { get; init; }

    /// <summary>How η changes over the run from η₀ (constant unless given).</summary>
    public ScheduleRecipe Schedule { get; init; } = new();

    /// <summary>Passes over the training set.</summary>
    public required int Epochs { get; init; }

    /// <summary>Samples per step (<see cref="int.MaxValue"/>: the whole training set, full-batch gradient descent).</summary>
    public required int BatchSize { get; init; }

    /// <summary>
    /// Training counted in steps: each epoch is this many steps on batches drawn with replacement, and
    /// the test split is evaluated after each (the validation estimate every N steps); null: an epoch is
    /// a pass over the training split. See <see cref="TrainerOptions.StepsPerEpoch"/>.
    /// </summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>Seeds the data generation and splits, the initialisation, the shuffles and dropout.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>L1, L2 and decoupled weight decay (null: none).</summary>
    public Regularization? Regularization { get; init; }

    /// <summary>c of gradient clipping by global norm (null: none); see <see cref="TrainerOptions.ClipGradientNorm"/>.</summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>Early stopping on the validation loss (null: all epochs run). Needs <see cref="ValidationSplit"/> &gt; 0.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Fraction in [0, 1) of the training split held out for validation.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>For one output column: class 1 when the output is ≥ this (0 for a logit).</summary>
    public float BinaryThreshold { get; init; } = 0.5f;

    /// <summary>
    /// Classification: "balanced" weighs each sample's loss by n / (k·n_c), n_c being its class's count
    /// in the training split (<see cref="ClassWeighting.Balanced"/>); null: every sample 1.
    /// </summary>
    public string? ClassWeights { get; init; }

    /// <summary>
    /// Binary classification with one logit: after training, choose the threshold on the logit that
    /// maximises F1 on the validation split (the training samples without one), and use it for the test
    /// metrics and in the model file (<c>chosen_threshold</c>), instead of <see cref="BinaryThreshold"/>.
    /// </summary>
    public bool TuneThreshold { get; init; }

    /// <summary>The test accuracy this recipe is expected to reach (NaN when it sets none).</summary>
    public double GoalAccuracy { get; init; } = double.NaN;

    /// <summary>
    /// Where the training steps run: "cpu" (the library's own kernels, the default), or a device of
    /// the ScratchNet.Gpu package, "cuda" or "cpu-accelerator" (<see cref="DeviceNames"/>), given to the
    /// job by <see cref="TrainingJobOptions.Engines"/>. A device sums in another order than the host, so
    /// its results agree with the host's to rounding, not to the bit.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The devices a recipe may name: "cpu", "cuda", "cpu-accelerator".</summary>
    public static IReadOnlyList<string> DeviceNames { get; } = ["cpu", "cuda", "cpu-accelerator"];

    /// <summary>The loss: <see cref="Loss"/>, or the usual one for the data's task.</summary>
    /// <exception cref="ArgumentException">Class weights for a regression, or for a loss that takes none.</exception>
    public Loss CreateLoss(LoadedData data)
    {
        var loss = Loss is not null ? LossFactory.Create(Loss) : data.Train.ClassCount > 0 ? new SoftmaxCrossEntropy() : new MeanSquaredError();
        if (ClassWeights is null) return loss;
        if (data.Train.ClassCount == 0)
            throw new ArgumentException($"Class weights apply to classification; {data.Info.Name} is a regression (its target is a number).");
        var weights = ClassWeighting.Balanced(ClassCounts(data.Train));
        switch (loss)
        {
            case SoftmaxCrossEntropy ce: ce.ClassWeights = weights; break;
            case BinaryCrossEntropyWithLogits bce when weights.Length == 2: bce.ClassWeights = weights; break;
            default: throw new ArgumentException($"Class weights apply to SoftmaxCrossEntropy and to BinaryCrossEntropyWithLogits on two classes, not to {loss.Name} on {weights.Length} classes.");
        }
        return loss;
    }

    /// <summary>Samples of each class in <paramref name="data"/>.</summary>
    private static long[] ClassCounts(ScratchNet.Data.Dataset data)
    {
        var counts = new long[data.ClassCount];
        const int chunk = 1024;
        var indices = new int[chunk];
        var x = new ScratchNet.Tensors.Tensor([chunk, .. data.SampleShape]);
        var y = data.TargetWidth == 1 ? new ScratchNet.Tensors.Tensor(chunk) : new ScratchNet.Tensors.Tensor(chunk, data.TargetWidth);
        for (int start = 0; start < data.Count; start += chunk)
        {
            int count = Math.Min(chunk, data.Count - start);
            for (int i = 0; i < count; i++) indices[i] = start + i;
            var xs = x.SliceRows(0, count);
            var ys = y.SliceRows(0, count);
            data.CopyBatch(indices.AsSpan(0, count), xs, ys);
            foreach (float t in ys.Span) counts[(int)t]++;
        }
        return counts;
    }

    /// <summary>
    /// Output units of the model: one logit for a binary cross-entropy, one per class for other
    /// classifiers, the target's width for regression.
    /// </summary>
    public int OutputUnits(LoadedData data)
    {
        var train = data.Train;
        if (CreateLoss(data) is BinaryCrossEntropyWithLogits) return Math.Max(1, train.TargetWidth);
        return train.ClassCount > 0 ? train.ClassCount : train.TargetWidth;
    }

    /// <summary>A new, unbuilt model for <paramref name="data"/>.</summary>
    public Sequential CreateModel(LoadedData data) => Model.Build(data, OutputUnits(data));

    /// <summary>The model in words for <paramref name="data"/> ("784-256-128-10, ReLU").</summary>
    public string DescribeModel(LoadedData data) => Model.Describe(data, OutputUnits(data));

    /// <summary>A new optimizer at η₀ (for a GAN, an <see cref="AdversarialOptimizer"/> of two: the generator's and the discriminator's).</summary>
    public Optimizer CreateOptimizer() => Model is GanRecipe ? new AdversarialOptimizer(Optimizer.Create(), Optimizer.Create()) : Optimizer.Create();

    /// <summary>A new schedule from η₀ over <see cref="Epochs"/>.</summary>
    public LearningRateSchedule CreateSchedule() => Schedule.Create(Epochs, (float)Optimizer.LearningRate);

    /// <summary>Checks every setting; the message names the one that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or contradicts another.</exception>
    public void Validate()
    {
        // A recipe read from JSON may hold null where the types say it cannot.
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("A recipe needs a name.");
        if (!TextExcerpt.IsName(Name, 200)) throw new ArgumentException($"The recipe's name is not a name: '{TextExcerpt.Of(Name)}'.");
        if (Loss is not null && !TextExcerpt.IsName(Loss)) throw new ArgumentException($"The loss is not a name: '{TextExcerpt.Of(Loss)}'.");
        if (Data is null) throw new ArgumentException("A recipe needs its data ('data').");
        if (Model is null) throw new ArgumentException("A recipe needs a model ('model').");
        if (Optimizer is null) throw new ArgumentException("A recipe needs an optimizer ('optimizer').");
        if (Schedule is null) throw new ArgumentException("A recipe's schedule ('schedule') may be left out, but not null.");
        if (Epochs < 1 || Epochs > Limits.MaxEpochs) throw new ArgumentException($"Epochs must be in [1, {Limits.MaxEpochs}] (got {Epochs}).");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1 (got {BatchSize}).");
        if (StepsPerEpoch is < 1 or > Limits.MaxStepsPerEpoch) throw new ArgumentException($"The steps per epoch must be in [1, {Limits.MaxStepsPerEpoch}] (got {StepsPerEpoch}).");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1)) throw new ArgumentException($"The validation split must be in [0, 1) (got {ValidationSplit}).");
        if (!float.IsFinite(BinaryThreshold)) throw new ArgumentException($"The binary threshold must be a finite number (got {BinaryThreshold}).");
        if (!double.IsNaN(GoalAccuracy) && !(GoalAccuracy >= 0 && GoalAccuracy <= 1))
            throw new ArgumentException($"The goal accuracy must be a fraction in [0, 1] (got {GoalAccuracy}).");
        if (EarlyStopping is not null && ValidationSplit == 0)
            throw new ArgumentException("Early stopping watches the validation loss: give a validation split.");
        if (Loss is not null) LossFactory.Create(Loss);
        if (!DeviceNames.Contains(Device)) throw new ArgumentException($"The device must be one of {string.Join(", ", DeviceNames)} (got '{TextExcerpt.Of(Device ?? "")}').");
        if (ClassWeights is not (null or "balanced")) throw new ArgumentException($"The class weights must be 'balanced' (got '{TextExcerpt.Of(ClassWeights)}').");
        Data.Validate();
        Model.Validate();
        Optimizer.Validate();
        Schedule.Validate(Epochs);
        if (ClipGradientNorm is { } clip && (!(clip > 0) || !float.IsFinite((float)clip)))
            throw new ArgumentException($"The gradient clipping norm must be a positive number (got {clip}).");
        Regularization?.Validate();
        EarlyStopping?.Validate();
    }

    /// <summary>The recipe as JSON (what a checkpoint keeps so that a run can be resumed from it alone).</summary>
    /// <exception cref="NotSupportedException">The model recipe is a type defined outside the library.</exception>
    public string ToJson() => JsonSerializer.Serialize(this, RecipeJson.Options);

    /// <summary>Reads <see cref="ToJson"/>'s text (<see cref="Validate"/> checks the values).</summary>
    /// <exception cref="FormatException">Not a recipe: not JSON, a value of the wrong type, a required field missing, an unknown model type.</exception>
    public static Recipe FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<Recipe>(json, RecipeJson.Options) ?? throw new FormatException("the recipe is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // The serializer's messages can quote the input at length; the first line names the path and the problem.
            throw new FormatException($"the recipe is not valid ({TextExcerpt.Of(e.Message.Split('\n')[0].TrimEnd('.'), 200)})", e);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.IsNullOrEmpty(Description) ? Name : $"{Name}: {Description}";
}
