using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Input;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Data;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet predict --model FILE --input FILE`: the class and probabilities (or the predicted
/// values) for each row of a CSV file or for one image of a digit (PNG, JPEG, BMP, GIF, WebP, TIFF, PGM).
/// </summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var model = Opt.Text("--model", "The model file (model.safetensors, a run folder, or a checkpoint).", "file");
        model.Required = true;
        var input = Opt.Text("--input", "A CSV file with the model's feature columns (a header row), or an image (PNG, JPEG, BMP, GIF, WebP, TIFF, PGM) for a 28x28 image model.", "file");
        input.Required = true;
        var top = Opt.Integer("--top", "Show the K most probable classes (default 3).", min: 1);
        var json = Opt.Flag("--json", "Print the predictions as one JSON object.");
        var command = new Command("predict", "Predict with a saved model: CSV rows (the saved standardisation is applied) or an image (prepared as MNIST digits: 28x28, centred).")
        {
            model, input, top, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(model)!);
            string path = parse.GetValue(input)!;
            if (!File.Exists(path)) throw new CliError($"input file '{path}' not found", ExitCodes.InputError);
            string ext = Path.GetExtension(path).ToLowerInvariant();
            int features = saved.Model.InputShape.Aggregate(1, (a, b) => a * b);
            Tensor x;
            List<string> labels = [];
            string? note = null;
            if (ext is ".csv" or ".txt")
            {
                // A table model reads its columns through its saved encoding (categories, fills); an older file has only numeric features.
                x = saved.Metadata.Encoding is { } encoding ? encoding.ReadInputs(path) : ReadCsv(saved, path, features);
                for (int i = 0; i < x.Dim(0); i++) labels.Add($"row {i + 1}");
            }
            else
            {
                if (features != 784)
                    throw new CliError($"{path}: the model takes {Tensor.FormatShape(saved.Model.InputShape)} inputs, not a 28x28 image; give a CSV file", ExitCodes.InputError);
                var image = GrayImage.Read(path);
                var digit = DigitImage.Prepare(image.Pixels, image.Width, image.Height)
                    ?? throw new CliError(string.Create(CultureInfo.InvariantCulture, $"{path}: the {image.Width}x{image.Height} image is blank: nothing differs from its border by {DigitImage.MinContrast} of the grey range"), ExitCodes.InputError);
                x = Tensor.FromArray(digit.Pixels, [1, .. saved.Model.InputShape]);
                labels.Add(Path.GetFileName(path));
                var (bx, by, bw, bh) = digit.BoundingBox;
                var (px, py, pw, ph) = digit.Placement;
                note = $"{image.Format} {image.Width}x{image.Height} image"
                    + (image.Width == DigitImage.Side && image.Height == DigitImage.Side ? "" : $", strokes at ({bx},{by}) {bw}x{bh} fitted into {pw}x{ph} at ({px},{py}) of 28x28, centred by its centre of mass")
                    + (digit.Inverted ? ", inverted (dark strokes on a light background)" : "");
            }
            if (saved.Metadata.Standardizer is { } st) st.Transform(x.Reshape(x.Dim(0), -1));
            var y = Evaluation.Predict(saved.Model, x, saved.InferenceBatchSize);
            if (!saved.Classifies && saved.Metadata.Encoding?.Target is { } scaling) scaling.Restore(y.Span);
            int outputs = saved.Outputs;
            int k = Math.Min(parse.GetValue(top) ?? 3, Math.Max(outputs, 2));
            var ci = CultureInfo.InvariantCulture;
            var rows = new List<(string Label, int Class, double[] Probabilities, float[] Values)>();
            for (int i = 0; i < x.Dim(0); i++)
            {
                var o = y.Span.Slice(i * outputs, outputs).ToArray();
                if (!saved.Classifies) { rows.Add((labels[i], -1, [], o)); continue; }
                double[] p = outputs == 1
                    ? saved.BinaryThreshold == 0 ? [1 - Sigmoid(o[0]), Sigmoid(o[0])] : [1 - o[0], o[0]]
                    : Softmax(o);
                int cls = outputs == 1 ? (o[0] >= saved.DecisionThreshold ? 1 : 0) : Array.IndexOf(p, p.Max());
                rows.Add((labels[i], cls, p, o));
            }
            var names = saved.Classifies ? saved.ClassNames(rows.Count > 0 ? Math.Max(2, rows[0].Probabilities.Length) : 2) : [];
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("model", saved.Path);
                    w.WriteString("input", path);
                    if (note is not null) w.WriteString("note", note);
                    w.WriteStartArray("predictions");
                    foreach (var r in rows)
                    {
                        w.WriteStartObject();
                        w.WriteString("item", r.Label);
                        if (saved.Classifies)
                        {
                            w.WriteNumber("class", r.Class);
                            w.WriteString("class_name", names[r.Class]);
                            w.WriteStartObject("probabilities");
                            for (int c = 0; c < r.Probabilities.Length; c++) w.WriteNumber(names[c], r.Probabilities[c]);
                            w.WriteEndObject();
                        }
                        else w.Numbers("values", r.Values.Select(v => (double)v));
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
                return ExitCodes.Success;
            }
            if (note is not null) output.WriteLine(note);
            foreach (var r in rows)
            {
                if (!saved.Classifies)
                {
                    string target = saved.Metadata.Target ?? "prediction";
                    output.WriteLine(string.Create(ci, $"{r.Label}: {target} = {string.Join(", ", r.Values.Select(v => v.ToString("G6", ci)))}"));
                    continue;
                }
                var best = Enumerable.Range(0, r.Probabilities.Length).OrderByDescending(c => r.Probabilities[c]).Take(k);
                output.WriteLine(string.Create(ci, $"{r.Label}: class {names[r.Class]} ({string.Join(", ", best.Select(c => $"{names[c]} {r.Probabilities[c]:P1}"))})"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The model's feature columns of every row of the CSV file, read as a stream: only the values are
    /// kept (at most <see cref="Limits.MaxTableValues"/> of them), never the file's text.
    /// </summary>
    private static Tensor ReadCsv(SavedModel saved, string path, int features)
    {
        using var csv = CsvRecordReader.Open(path);
        IReadOnlyList<string> wanted = saved.Metadata.FeatureNames.Count > 0
            ? saved.Metadata.FeatureNames
            : csv.Header.Where(h => h != saved.Metadata.Target).ToArray();
        if (wanted.Count != features)
            throw new CliError($"{path}: the model takes {features:N0} features, the file gives {wanted.Count:N0} ({TextExcerpt.Of(string.Join(", ", wanted), 200)})", ExitCodes.InputError);
        var columns = wanted.Select(csv.ColumnIndex).ToArray();
        long maxRows = Limits.MaxTableValues / features;
        var values = new List<float>();
        while (csv.Next())
        {
            if (csv.RowCount > maxRows)
                throw new CliError($"{path}: line {csv.Line}: more than {maxRows:N0} rows of {features:N0} features, more than the limit of {Limits.MaxTableValues:N0} values", ExitCodes.InputError);
            for (int j = 0; j < features; j++)
            {
                var cell = csv.Field(columns[j]);
                if (!CsvReader.TryParseNumber(cell, out float v))
                    throw new CliError($"{path}, {csv.Where(columns[j])}: {(cell.Length == 0 ? "empty cell" : $"'{TextExcerpt.Of(cell)}' is not a number")}", ExitCodes.InputError);
                values.Add(v);
            }
        }
        var x = new Tensor(csv.RowCount, features);
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values).CopyTo(x.Span);
        return x;
    }

    private static double Sigmoid(float z) => 1 / (1 + Math.Exp(-z));

    private static double[] Softmax(float[] z)
    {
        double m = z.Max();
        var e = z.Select(v => Math.Exp(v - m)).ToArray();
        double s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }
}
