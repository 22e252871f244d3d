using ScratchNet.Data;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Training;

/// <summary>
/// The options of `scratchnet train` that change a recipe, as parsed (null: not given). Each one given
/// replaces exactly the value it names; an option not given changes nothing, so naming the optimizer
/// a preset already uses keeps its learning rate.
/// </summary>
public sealed record RecipeOverrides
{
    /// <summary>--target.</summary>
    public string? Target { get; init; }
    /// <summary>--features: the feature columns of a table.</summary>
    public string[]? Features { get; init; }
    /// <summary>--log-features: numeric feature columns read as log(1 + x).</summary>
    public string[]? LogFeatures { get; init; }
    /// <summary>--class-weights: "balanced".</summary>
    public string? ClassWeights { get; init; }
    /// <summary>--choose-threshold: one logit and binary cross-entropy, the threshold chosen for F1 after training.</summary>
    public bool ChooseThreshold { get; init; }
    /// <summary>--layers: hidden widths of an MLP.</summary>
    public int[]? Layers { get; init; }
    /// <summary>--activation.</summary>
    public string? Activation { get; init; }
    /// <summary>--dropout.</summary>
    public double? Dropout { get; init; }
    /// <summary>--optimizer.</summary>
    public string? Optimizer { get; init; }
    /// <summary>--lr: η₀.</summary>
    public double? LearningRate { get; init; }
    /// <summary>--momentum.</summary>
    public double? Momentum { get; init; }
    /// <summary>--schedule.</summary>
    public string? Schedule { get; init; }
    /// <summary>--step-size.</summary>
    public int? StepSize { get; init; }
    /// <summary>--gamma.</summary>
    public double? Gamma { get; init; }
    /// <summary>--warmup.</summary>
    public double? Warmup { get; init; }
    /// <summary>--min-lr.</summary>
    public double? MinLearningRate { get; init; }
    /// <summary>--plateau-patience.</summary>
    public int? PlateauPatience { get; init; }
    /// <summary>--l1.</summary>
    public double? L1 { get; init; }
    /// <summary>--l2.</summary>
    public double? L2 { get; init; }
    /// <summary>--weight-decay: AdamW's own λ, or decoupled decay for any other optimizer.</summary>
    public double? WeightDecay { get; init; }
    /// <summary>--early-stopping: the patience in epochs.</summary>
    public int? EarlyStopping { get; init; }
    /// <summary>--validation-split.</summary>
    public double? ValidationSplit { get; init; }
    /// <summary>--epochs.</summary>
    public int? Epochs { get; init; }
    /// <summary>--batch-size.</summary>
    public int? BatchSize { get; init; }
    /// <summary>--steps-per-epoch.</summary>
    public int? StepsPerEpoch { get; init; }
    /// <summary>--seed.</summary>
    public ulong? Seed { get; init; }
    /// <summary>--samples: generated 2-D sets only.</summary>
    public int? Samples { get; init; }
    /// <summary>--limit-train.</summary>
    public int? LimitTrain { get; init; }
    /// <summary>--limit-test.</summary>
    public int? LimitTest { get; init; }
    /// <summary>--device: cpu, cuda or cpu-accelerator.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// <paramref name="recipe"/> with every given option applied; when that changes the recipe itself
    /// (not just the seed or the sample limits), the description says so.
    /// </summary>
    /// <exception cref="CliError">An option that does not apply to this recipe.</exception>
    public Recipe ApplyTo(Recipe recipe)
    {
        var optimizer = OptimizerOf(recipe);
        var changed = recipe with
        {
            Data = DataOf(recipe.Data),
            Model = ModelOf(recipe.Model),
            Optimizer = optimizer,
            Schedule = ScheduleOf(recipe.Schedule),
            Regularization = RegularizationOf(recipe.Regularization, optimizer.Name),
            EarlyStopping = EarlyStopping is int patience ? new ScratchNet.Training.EarlyStopping { Patience = patience } : recipe.EarlyStopping,
            ValidationSplit = ValidationSplit ?? (EarlyStopping is not null && recipe.ValidationSplit == 0 ? 0.1 : recipe.ValidationSplit),
            Epochs = Epochs ?? recipe.Epochs,
            BatchSize = BatchSize ?? recipe.BatchSize,
            StepsPerEpoch = StepsPerEpoch ?? recipe.StepsPerEpoch,
            Seed = Seed ?? recipe.Seed,
            ClassWeights = ClassWeights ?? recipe.ClassWeights,
            Device = Device ?? recipe.Device,
        };
        if (ChooseThreshold && !changed.TuneThreshold)
        {
            // The threshold is on one logit: a softmax over two outputs becomes its equivalent, one logit with binary cross-entropy.
            if (changed.Loss is not (null or "SoftmaxCrossEntropy" or "BinaryCrossEntropyWithLogits"))
                throw new CliError($"--choose-threshold applies to a binary classifier; this run's loss is {changed.Loss}");
            changed = changed with { TuneThreshold = true, Loss = "BinaryCrossEntropyWithLogits", BinaryThreshold = 0f };
        }
        // The description is the preset's recipe; say when the command line changed it, so a report
        // never reads "10 epochs" above a table of 3.
        return Comparable(changed) == Comparable(recipe) ? changed
            : changed with { Description = $"{recipe.Description} (the preset's recipe; this run changes it from the command line, see the settings)" };
    }

    private DataRecipe DataOf(DataRecipe data)
    {
        if (Samples is not null && DatasetCatalog.Find(data.Dataset) is not { Kind: DatasetKind.Synthetic } || Samples is not null && data.Dataset == "xor-table")
            throw new CliError($"--samples applies to the generated 2-D sets ({string.Join(", ", PresetCatalog.SyntheticNames)}, or --dataset runs on them), not to {data.Dataset}");
        return data with
        {
            Target = Target ?? data.Target,
            // Naming another target drops the preset's feature list, which may hold that column.
            Features = Features ?? (Target is not null && Target != data.Target ? null : data.Features),
            LogFeatures = LogFeatures ?? data.LogFeatures,
            Samples = Samples ?? data.Samples,
            TrainLimit = LimitTrain ?? data.TrainLimit,
            TestLimit = LimitTest ?? data.TestLimit,
        };
    }

    private ModelRecipe ModelOf(ModelRecipe model) => model switch
    {
        MlpRecipe mlp => mlp with { Hidden = Layers ?? mlp.Hidden, Activation = Activation ?? mlp.Activation, Dropout = Dropout ?? mlp.Dropout },
        _ when Layers is not null => new MlpRecipe { Hidden = Layers, Activation = Activation ?? "relu", Dropout = Dropout ?? 0 },
        CnnRecipe cnn => cnn with { Activation = Activation ?? cnn.Activation, Dropout = Dropout ?? cnn.Dropout },
        _ when Activation is not null || Dropout is not null =>
            throw new CliError($"--activation and --dropout apply to the MLP and CNN models, not to {model.GetType().Name}"),
        _ => model,
    };

    private OptimizerRecipe OptimizerOf(Recipe recipe)
    {
        var preset = recipe.Optimizer;
        string name = Optimizer ?? preset.Name;
        bool takesMomentum = name is "momentum" or "nesterov";
        if (Momentum is not null && !takesMomentum)
            throw new CliError($"--momentum applies to the momentum and nesterov optimizers; this run's optimizer is {name}");
        bool sameFamily = takesMomentum == (preset.Name is "momentum" or "nesterov");
        return new OptimizerRecipe
        {
            Name = name,
            LearningRate = LearningRate ?? preset.LearningRate,
            Momentum = takesMomentum ? Momentum ?? (sameFamily ? preset.Momentum : null) : null,
            WeightDecay = name == "adamw" ? WeightDecay ?? (preset.Name == "adamw" ? preset.WeightDecay : null) : null,
            // β₁ and β₂ belong to the Adam family: kept when the run stays in it.
            Beta2 = name is "adam" or "adamw" && preset.Name is "adam" or "adamw" ? preset.Beta2 : null,
            Beta1 = name is "adam" or "adamw" && preset.Name is "adam" or "adamw" ? preset.Beta1 : null,
        };
    }

    private ScheduleRecipe ScheduleOf(ScheduleRecipe preset)
    {
        // Another schedule starts from its own defaults: the preset's settings belong to the preset's schedule.
        var schedule = Schedule is null || Schedule == preset.Name ? preset : new ScheduleRecipe { Name = Schedule };
        string name = schedule.Name;
        Require(StepSize, "--step-size", "step");
        Require(Gamma, "--gamma", "step", "exponential", "plateau");
        Require(Warmup, "--warmup", "cosine");
        Require(MinLearningRate, "--min-lr", "cosine", "plateau");
        Require(PlateauPatience, "--plateau-patience", "plateau");
        return schedule with
        {
            StepSize = StepSize ?? schedule.StepSize,
            Gamma = Gamma ?? schedule.Gamma,
            WarmupEpochs = Warmup ?? schedule.WarmupEpochs,
            MinLearningRate = MinLearningRate ?? schedule.MinLearningRate,
            PlateauPatience = PlateauPatience ?? schedule.PlateauPatience,
        };

        void Require(object? value, string option, params string[] schedules)
        {
            if (value is not null && !schedules.Contains(name))
                throw new CliError($"{option} applies to the {string.Join(" and ", schedules)} schedule{(schedules.Length > 1 ? "s" : "")}; this run's schedule is {name} (choose one with --schedule)");
        }
    }

    private ScratchNet.Training.Regularization? RegularizationOf(ScratchNet.Training.Regularization? preset, string optimizer)
    {
        // AdamW's --weight-decay is its own λ (in the optimizer); for any other optimizer it is the trainer's decoupled decay.
        double? decoupled = optimizer == "adamw" ? null : WeightDecay;
        if (L1 is null && L2 is null && decoupled is null) return preset;
        return new ScratchNet.Training.Regularization
        {
            L1 = (float)(L1 ?? preset?.L1 ?? 0),
            L2 = (float)(L2 ?? preset?.L2 ?? 0),
            DecoupledWeightDecay = (float)(decoupled ?? preset?.DecoupledWeightDecay ?? 0),
        };
    }

    /// <summary>The recipe less what does not change its arithmetic for the description's sake: the seed, the sample limits and the device.</summary>
    private static Recipe Comparable(Recipe r) => r with { Seed = 0, Data = r.Data with { TrainLimit = null, TestLimit = null }, Device = "cpu" };
}
