using System.Globalization;
using ScratchNet.IO;

namespace ScratchNet.Serialization;

/// <summary>
/// Saves and loads <see cref="CheckpointState"/> as one safetensors file, DIR/checkpoint.safetensors,
/// written atomically (temp file, Flush(true), rename): a crash or SIGKILL during the save leaves
/// the previous checkpoint intact.
/// </summary>
/// <remarks>
/// Tensors: "model.layers.{i}.{name}", "optimizer.{name}", "rng.{name}" (U64[4]), "extra.{name}",
/// "ints.{name}" (I32).
/// Metadata: "format" = "scratchnet-checkpoint", "format_version" (<see cref="FormatVersion"/>),
/// "checkpoint.*" (epoch, batch, global step, optimizer), "schedule.{key}" (doubles, round-trip
/// text), "settings.{key}", and the model metadata under "model.*" (as in a model file).
/// </remarks>
public static class Checkpoint
{
    /// <summary>The file name inside a checkpoint folder.</summary>
    public const string FileName = "checkpoint.safetensors";

    /// <summary>
    /// The version of the checkpoint layout this build writes and reads. Version 2: one format for the
    /// library and the command line, the schedule as the owner of the learning rate, the full model
    /// metadata (standardisation included), early stopping's state.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>The checkpoint file of <paramref name="dirOrFile"/> (a folder, or the file itself).</summary>
    public static string PathOf(string dirOrFile) =>
        dirOrFile.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? dirOrFile : Path.Combine(dirOrFile, FileName);

    /// <summary>Whether <paramref name="dirOrFile"/> holds a checkpoint.</summary>
    public static bool Exists(string dirOrFile) => File.Exists(PathOf(dirOrFile));

    /// <summary>Writes <paramref name="state"/> to DIR/checkpoint.safetensors atomically (the folder is created).</summary>
    public static void Save(string dir, CheckpointState state)
    {
        var tensors = new List<SafeTensor>();
        foreach (var (name, t) in state.Weights) tensors.Add(SafeTensor.FromTensor("model." + name, t));
        foreach (var (name, t) in state.OptimizerState) tensors.Add(SafeTensor.FromTensor("optimizer." + name, t));
        foreach (var (name, s) in state.RngStates) tensors.Add(SafeTensor.FromUInt64("rng." + name, s));
        foreach (var (name, t) in state.ExtraTensors) tensors.Add(SafeTensor.FromTensor("extra." + name, t));
        foreach (var (name, a) in state.IntArrays) tensors.Add(SafeTensor.FromInt32("ints." + name, a));

        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "scratchnet-checkpoint",
            ["format_version"] = Text(FormatVersion),
            ["checkpoint.epoch"] = Text(state.Epoch),
            ["checkpoint.batch_in_epoch"] = Text(state.BatchInEpoch),
            ["checkpoint.global_step"] = Text(state.GlobalStep),
            ["checkpoint.optimizer_step_count"] = Text(state.OptimizerStepCount),
        };
        if (state.OptimizerName != null) meta["checkpoint.optimizer"] = state.OptimizerName;
        foreach (var (k, v) in state.Schedule) meta["schedule." + k] = v.ToString("R", CultureInfo.InvariantCulture);
        foreach (var (k, v) in state.Settings) meta["settings." + k] = v;
        if (state.Model != null)
            foreach (var (k, v) in state.Model.ToDictionary()) meta["model." + k] = v;
        SafeTensorsFile.Write(PathOf(dir), tensors, meta);
    }

    /// <summary>Reads DIR/checkpoint.safetensors (or the file given), validating it.</summary>
    /// <exception cref="ModelFileException">Missing, malformed or not a checkpoint.</exception>
    public static CheckpointState Load(string dir)
    {
        string path = PathOf(dir);
        if (RegularFile.Problem(path) is { } problem) throw new ModelFileException(path, problem);
        using var reader = SafeTensorsReader.Open(path);
        var m = reader.Metadata;
        if (m.GetValueOrDefault("format") != "scratchnet-checkpoint")
            throw new ModelFileException(path, "not a ScratchNet checkpoint (its __metadata__ has no format 'scratchnet-checkpoint')");
        string version = m.GetValueOrDefault("format_version") ?? "(none)";
        if (version != Text(FormatVersion))
            throw new ModelFileException(path, $"a version {TextExcerpt.Of(version)} checkpoint; this ScratchNet reads version {FormatVersion} checkpoints only (start the run again, or use the ScratchNet that wrote it)");
        var state = new CheckpointState
        {
            Epoch = Epoch(m, path),
            BatchInEpoch = Long(m, "checkpoint.batch_in_epoch", path),
            GlobalStep = Long(m, "checkpoint.global_step", path),
            OptimizerStepCount = Long(m, "checkpoint.optimizer_step_count", path),
            OptimizerName = m.GetValueOrDefault("checkpoint.optimizer"),
        };
        foreach (var e in reader.Entries)
        {
            if (e.Name.StartsWith("model.", StringComparison.Ordinal)) state.Weights[e.Name[6..]] = reader.ReadTensor(e);
            else if (e.Name.StartsWith("optimizer.", StringComparison.Ordinal)) state.OptimizerState[e.Name[10..]] = reader.ReadTensor(e);
            else if (e.Name.StartsWith("extra.", StringComparison.Ordinal)) state.ExtraTensors[e.Name[6..]] = reader.ReadTensor(e);
            else if (e.Name.StartsWith("ints.", StringComparison.Ordinal))
            {
                if (e.DType != "I32" || e.Shape.Length != 1)
                    throw new ModelFileException(path, $"integer array '{e.Name}' must be a 1-D I32 tensor, not {e.DType} {e.ShapeText}");
                state.IntArrays[e.Name[5..]] = reader.Read(e).ToInt32();
            }
            else if (e.Name.StartsWith("rng.", StringComparison.Ordinal))
            {
                if (e.DType != SafeTensorDType.U64 || e.Shape is not [4])
                    throw new ModelFileException(path, $"generator state '{e.Name}' must be U64 [4], not {e.DType} {e.ShapeText}");
                var s = reader.Read(e).ToUInt64();
                if ((s[0] | s[1] | s[2] | s[3]) == 0) throw new ModelFileException(path, $"generator state '{e.Name}' is all zeros");
                state.RngStates[e.Name[4..]] = s;
            }
            else throw new ModelFileException(path, $"unexpected tensor '{e.Name}' in a checkpoint");
        }
        var modelMeta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in m)
        {
            if (k.StartsWith("schedule.", StringComparison.Ordinal))
                state.Schedule[k[9..]] = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                    ? d : throw new ModelFileException(path, $"schedule value '{TextExcerpt.Of(k)}' is not a number: '{TextExcerpt.Of(v)}'");
            else if (k.StartsWith("settings.", StringComparison.Ordinal)) state.Settings[k[9..]] = v;
            else if (k.StartsWith("model.", StringComparison.Ordinal)) modelMeta[k[6..]] = v;
        }
        if (modelMeta.Count > 0) state.Model = ModelMetadata.FromDictionary(modelMeta, path);
        return state;
    }

    /// <summary>Completed epochs: the next epoch, Epoch + 1, must still be an int.</summary>
    private static int Epoch(IReadOnlyDictionary<string, string> m, string path)
    {
        long epoch = Long(m, "checkpoint.epoch", path);
        return epoch < int.MaxValue ? (int)epoch : throw new ModelFileException(path, $"'checkpoint.epoch' {epoch} is out of range (at most {int.MaxValue - 1})");
    }

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static long Long(IReadOnlyDictionary<string, string> m, string key, string path) =>
        m.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) && x >= 0
            ? x : throw new ModelFileException(path, $"'{key}' is missing or not a non-negative integer in the checkpoint metadata");
}
