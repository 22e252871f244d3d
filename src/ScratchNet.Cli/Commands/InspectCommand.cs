using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Tensors;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet inspect FILE`: a model file's (or checkpoint's) layers, shapes, parameter counts and metadata.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A model file (.safetensors), a run folder, or a checkpoint." };
        var json = Opt.Flag("--json", "Print the description as one JSON object.");
        var command = new Command("inspect", "Show a model file's layers, output shapes, parameter counts and metadata.") { file, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(file)!);
            var model = saved.Model;
            var meta = saved.Metadata;
            var shapes = new List<int[]>();
            int[] shape = model.InputShape;
            foreach (var layer in model.Layers) shapes.Add(shape = layer.OutputShape(shape));
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("file", saved.Path);
                    w.WriteString("kind", saved.IsCheckpoint ? "checkpoint" : "model");
                    w.WriteString("input_shape", Tensor.FormatShape(model.InputShape));
                    w.WriteNumber("parameters", model.ParameterCount);
                    w.WriteStartArray("layers");
                    for (int i = 0; i < model.Layers.Count; i++)
                    {
                        var layer = model.Layers[i];
                        w.WriteStartObject();
                        w.WriteNumber("index", i);
                        w.WriteString("type", layer.Spec.Type);
                        w.WriteStartObject("settings");
                        foreach (var (k, v) in layer.Spec.Settings) w.WriteString(k, v);
                        w.WriteEndObject();
                        w.WriteString("output_shape", Tensor.FormatShape(shapes[i]));
                        w.WriteNumber("parameters", layer.ParameterCount);
                        w.WriteStartObject("tensors");
                        foreach (var p in layer.Parameters) w.WriteString(p.Name, p.Value.ShapeString);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteStartObject("metadata");
                    if (meta.Dataset is not null) w.WriteString("dataset", meta.Dataset);
                    if (meta.Task is not null) w.WriteString("task", meta.Task);
                    if (meta.Target is not null) w.WriteString("target", meta.Target);
                    w.Strings("class_names", meta.ClassNames);
                    w.Strings("feature_names", meta.FeatureNames);
                    if (meta.Standardizer is { } st) w.WriteString("standardizer", $"{ScratchNet.Data.Standardizer.ModeName(st.Mode)} over {st.FeatureCount} features");
                    foreach (var (k, v) in meta.Extra) w.WriteString(k, v);
                    w.WriteEndObject();
                });
                return ExitCodes.Success;
            }
            output.WriteLine($"{saved.Path} ({(saved.IsCheckpoint ? "training checkpoint" : "model file")})");
            output.Write(model.Summary());
            output.WriteLine($"parameters: {model.ParameterCount:N0} ({model.ParameterCount * 4:N0} bytes as float32)");
            if (meta.Dataset is not null) output.WriteLine($"dataset:    {meta.Dataset}");
            if (meta.Task is not null) output.WriteLine($"task:       {meta.Task}");
            if (meta.Target is not null) output.WriteLine($"target:     {meta.Target}");
            if (meta.ClassNames.Count > 0) output.WriteLine($"classes:    {string.Join(", ", meta.ClassNames)}");
            if (meta.FeatureNames.Count > 0) output.WriteLine($"features:   {string.Join(", ", meta.FeatureNames)}");
            if (meta.Standardizer is { } s) output.WriteLine($"preprocess: {ScratchNet.Data.Standardizer.ModeName(s.Mode)} standardisation of {s.FeatureCount} features (applied by evaluate and predict)");
            foreach (var (k, v) in meta.Extra) output.WriteLine($"{k + ":",-11} {v}");
            return ExitCodes.Success;
        });
        return command;
    }
}
