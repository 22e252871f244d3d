using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Serialization;
using ScratchNet.Tensors;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet export --model FILE|DIR --format onnx [--out FILE]`: a saved model as an ONNX file (<see cref="OnnxExporter"/>).</summary>
public static class ExportCommand
{
    /// <summary>The formats --format accepts.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["onnx"];

    public static Command Create()
    {
        var model = Opt.Text("--model", "The model to export (model.safetensors, a run folder, or a checkpoint with model metadata).", "file|dir");
        model.Required = true;
        var format = Opt.Choice("--format", "The file format to write.", Formats);
        format.Required = true;
        var outPath = Opt.Text("--out", "Where to write (default: the model file's name with .onnx, beside it).", "file");
        var command = new Command("export", "Write a saved model in another format: ONNX, for onnxruntime and other runtimes; the input preparation and class names go into its metadata.")
        {
            model, format, outPath,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(model)!);
            string target = parse.GetValue(outPath) ?? Path.ChangeExtension(saved.Path, ".onnx");
            if (string.Equals(Path.GetFullPath(target), Path.GetFullPath(saved.Path), StringComparison.Ordinal))
                throw new CliError($"--out '{target}' is the model file itself: give another path", ExitCodes.Usage);
            if (Directory.Exists(target))
                throw new CliError($"--out '{target}' is a folder: give a file name such as {Path.Combine(target, "model.onnx")}", ExitCodes.Usage);
            try { OnnxExporter.Export(target, saved.Model, saved.Metadata); }
            catch (OnnxExportException e) { throw new CliError($"{saved.Path}: {e.Message}", ExitCodes.InputError); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliError($"cannot write '{target}': {e.Message.TrimEnd('.')}", ExitCodes.InputError);
            }
            var props = OnnxExporter.MetadataProps(saved.Model, saved.Metadata).ToDictionary(p => p.Key, p => p.Value);
            output.WriteLine($"wrote {target} ({new FileInfo(target).Length:N0} bytes, ONNX opset {OnnxExporter.Opset})");
            output.WriteLine($"input:  '{OnnxExporter.InputName}', float32 (batch, {string.Join(", ", saved.Model.InputShape)}); preprocessing: {props["preprocessing"]}");
            output.WriteLine($"output: '{OnnxExporter.OutputName}', float32 (batch, {string.Join(", ", saved.Model.OutputShape)}): {props["output"]}");
            return ExitCodes.Success;
        });
        return command;
    }
}
