using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Training;

/// <summary>
/// Turns <see cref="RunSettings"/> into the <see cref="Preset"/> that runs: a named preset with the
/// options given on the command line replacing its settings (a new Preset that copies the factories
/// and replaces what was given), or a custom recipe for --dataset.
/// </summary>
public static class PresetOverrides
{
    /// <summary>The recipe for <paramref name="s"/>.</summary>
    public static Preset Resolve(RunSettings s)
    {
        if (s.Preset is not null && s.Dataset is not null)
            throw new CliError("give either a preset or --dataset, not both (a preset has its own data). See 'scratchnet train --help' for usage.");
        if (s.Preset is null && s.Dataset is null)
            throw new CliError($"name a preset ({string.Join(", ", CliPresets.Names)}) or a dataset with --dataset. See 'scratchnet train --help' for usage.");
        var basePreset = s.Preset is not null ? CliPresets.Get(s.Preset) : Custom(s);
        return Apply(basePreset, s);
    }

    /// <summary>A new preset: <paramref name="p"/> with every setting <paramref name="s"/> gives replaced.</summary>
    public static Preset Apply(Preset p, RunSettings s)
    {
        // The model factories need the data's shape; LoadData runs first and leaves it here.
        var seen = new LoadedDataHolder();
        var loadData = p.LoadData;
        var createModel = p.CreateModel;
        string modelDescription = p.ModelDescription;

        if (s.Layers is not null)
        {
            string act = s.Activation ?? "relu";
            var original = p.CreateModel;
            // The output width is the preset's (its model is made after the data is loaded, as custom runs need).
            createModel = () => CliPresets.Mlp(s.Layers, act, OutputUnits(original()), s.Dropout ?? 0, flatten: seen.Data?.Train.SampleShape.Length > 1);
            modelDescription = $"MLP {string.Join('-', s.Layers)} hidden, {act}{(s.Dropout > 0 ? $", dropout {Text(s.Dropout.Value)}" : "")}";
        }
        else if (s.Activation is not null || s.Dropout is not null)
        {
            var original = p.CreateModel;
            createModel = () => Rewrite(original(), s.Activation, s.Dropout);
            modelDescription += (s.Activation is null ? "" : $"; activation {s.Activation}") + (s.Dropout is null ? "" : $"; dropout {Text(s.Dropout.Value)}");
        }

        if (s.Samples is int count)
        {
            if (!CliPresets.IsSynthetic(p))
                throw new CliError($"--samples applies to the generated 2-D presets ({string.Join(", ", CliPresets.SyntheticNames)}) and to --dataset runs on generated sets, not to {p.Name}");
            loadData = (manager, seed) => manager.Load(p.Dataset, new DatasetLoadOptions { Seed = seed, Count = count });
        }

        var createOptimizer = p.CreateOptimizer;
        if (s.Optimizer is not null || s.LearningRate is not null || s.Momentum is not null || (s.WeightDecay is not null && s.Optimizer == "adamw"))
        {
            var original = p.CreateOptimizer;
            createOptimizer = () =>
            {
                var presetOptimizer = original();
                string name = s.Optimizer ?? NamedParts.NameOf(presetOptimizer);
                double lr = s.LearningRate ?? (s.Optimizer is null ? presetOptimizer.LearningRate : NamedParts.DefaultLearningRate(name));
                if (s.Optimizer is null && s.Momentum is null && !(name == "adamw" && s.WeightDecay is not null))
                {
                    presetOptimizer.LearningRate = (float)lr;
                    return presetOptimizer;
                }
                return NamedParts.Optimizer(name, (float)lr, (float?)s.Momentum, name == "adamw" ? (float?)s.WeightDecay : null);
            };
        }

        var createSchedule = s.Schedule is null ? p.CreateSchedule : epochs => NamedParts.Schedule(s, epochs);

        // The description is the preset's recipe; say when the command line changed it, so a report
        // never reads "10 epochs" above a table of 3.
        bool recipeChanged = s.Layers is not null || s.Activation is not null || s.Dropout is not null || s.Samples is not null
            || s.Optimizer is not null || s.LearningRate is not null || s.Momentum is not null || s.WeightDecay is not null
            || s.Schedule is not null || (s.Epochs is int e && e != p.Epochs) || (s.BatchSize is int b && b != p.BatchSize);
        return new Preset
        {
            Name = p.Name,
            Description = recipeChanged ? $"{p.Description} (the preset's recipe; this run changes it from the command line, see the settings)" : p.Description,
            Dataset = p.Dataset,
            ModelDescription = modelDescription,
            Epochs = s.Epochs ?? p.Epochs,
            BatchSize = s.BatchSize ?? p.BatchSize,
            CreateModel = createModel,
            CreateLoss = p.CreateLoss,
            CreateOptimizer = createOptimizer,
            CreateSchedule = createSchedule,
            BinaryThreshold = p.BinaryThreshold,
            GoalAccuracy = p.GoalAccuracy,
            LoadData = (manager, seed) => seen.Data = loadData(manager, seed),
            Report = s.Layers is null ? p.Report : null,
        };
    }

    /// <summary>A recipe for --dataset: an MLP (default 64-64 for tables and 2-D sets, 256-128 for images), Adam.</summary>
    private static Preset Custom(RunSettings s)
    {
        string name = s.Dataset!;
        var info = new DatasetManager(new DatasetManagerOptions { DataDir = s.DataDir, AllowDownload = false }).Info(name);
        bool images = info.Kind == DatasetKind.Images;
        var seen = new LoadedDataHolder();
        int[] hidden = images ? [256, 128] : [64, 64];
        string act = s.Activation ?? "relu";
        return new Preset
        {
            Name = info.Name,
            Description = $"custom run on {info.Name}{(s.Target is null ? "" : $" (target {s.Target})")}",
            Dataset = info.Kind == DatasetKind.CsvFile ? name : info.Name,
            ModelDescription = $"MLP {string.Join('-', hidden)}, {act}",
            Epochs = 20,
            BatchSize = images ? 64 : 32,
            CreateModel = () =>
            {
                var train = seen.Data!.Train;
                int outputs = train.ClassCount > 0 ? train.ClassCount : train.TargetWidth;
                return CliPresets.Mlp(hidden, act, outputs, s.Dropout ?? 0, flatten: train.SampleShape.Length > 1);
            },
            CreateLoss = () => seen.Data!.Train.ClassCount > 0 ? new SoftmaxCrossEntropy() : new MeanSquaredError(),
            CreateOptimizer = () => new Adam(images ? 1e-3f : 0.01f),
            LoadData = (manager, seed) => seen.Data = images
                ? ScaledDataset.StandardizeImages(manager.Load(name, new DatasetLoadOptions { Seed = seed }))
                : manager.Load(name, new DatasetLoadOptions { Seed = seed, Target = s.Target, Count = s.Samples, Standardize = info.Kind == DatasetKind.Synthetic ? StandardizeMode.None : StandardizeMode.ZScore }),
        };
    }

    /// <summary>The width of the last dense layer (the number of outputs).</summary>
    private static int OutputUnits(Sequential model) =>
        model.Layers.OfType<Dense>().LastOrDefault()?.Units ?? throw new CliError("--layers needs a preset whose model ends with a dense layer");

    /// <summary>The same layers with every activation replaced and/or dropout after every hidden activation.</summary>
    private static Sequential Rewrite(Sequential model, string? activation, double? dropout)
    {
        var layers = model.Layers.Where(l => dropout is null || l is not Dropout).ToList();
        var result = new List<Layer>();
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            bool isActivation = layer is Activation;
            result.Add(isActivation && activation is not null ? NamedParts.Activation(activation) : layer);
            if (isActivation && dropout > 0 && i < layers.Count - 1) result.Add(new Dropout((float)dropout.Value));
        }
        return new Sequential(result.ToArray());
    }

    private static string Text(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    private sealed class LoadedDataHolder
    {
        public LoadedData? Data { get; set; }
    }
}
