using System.Globalization;
using System.Text;
using ScratchNet.Serialization;

namespace ScratchNet.Playground.Lab;

/// <summary>
/// What the page exports: the trained model as the library's model file (<see cref="ModelFile.Save"/>,
/// read by <c>scratchnet predict</c> and <c>evaluate</c>), the points as a CSV of the model's feature
/// columns, and the <c>scratchnet train</c> command line that trains the same network on that CSV.
/// </summary>
public static class Export
{
    /// <summary>The CSV's file name, which the command line names.</summary>
    public const string DataFileName = "playground-data.csv";

    /// <summary>The model file's bytes: <see cref="ModelFile.Save"/> into the runtime's in-memory file system, then read back.</summary>
    public static byte[] ModelBytes(Session s)
    {
        var ci = CultureInfo.InvariantCulture;
        var meta = new ModelMetadata
        {
            Dataset = DataFileName,
            Task = s.Classifies ? "classification" : "regression",
            ClassNames = s.Classifies ? s.Train.ClassNames.ToArray() : [],
            FeatureNames = s.Settings.Features.ToArray(),
            Target = "label",
            Extra =
            {
                ["preset"] = "playground",
                ["playground"] = s.Settings.ToQuery(),
                ["seed"] = s.Settings.Seed.ToString(ci),
                ["loss"] = s.Loss.Name,
                ["epochs"] = s.Epoch.ToString(ci),
            },
        };
        string dir = Path.Combine(Path.GetTempPath(), "scratchnet-playground");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "model.safetensors");
        ModelFile.Save(path, s.Model, meta);
        byte[] bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    /// <summary>The points: the model's feature columns, the label, the split, and the class (or value) the page's model predicts.</summary>
    public static string DataCsv(Session s)
    {
        var ci = CultureInfo.InvariantCulture;
        var predicted = s.Predict();
        var text = new StringBuilder();
        text.Append(string.Join(",", s.Settings.Features)).Append(",label,set,predicted\n");
        for (int i = 0; i < s.Points.Count; i++)
        {
            foreach (string f in s.Settings.Features) text.Append(FeatureMap.Value(f, s.Points.X1[i], s.Points.X2[i]).ToString("R", ci)).Append(',');
            text.Append(s.Points.Label[i].ToString("R", ci)).Append(',').Append(s.Points.IsTest[i] ? "test" : "train").Append(',')
                .Append(predicted[i].ToString("R", ci)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// The <c>scratchnet train</c> command line of the same network, optimizer, rate, batch, penalties,
    /// seed and epochs on <see cref="DataFileName"/>. The command holds out its own test split and
    /// standardises the features, so its figures are close to the page's, not the same bits; a network
    /// with different activations per layer cannot be written (the command takes one), which the
    /// returned note says.
    /// </summary>
    public static (string Command, string? Note) CommandLine(Session s)
    {
        var ci = CultureInfo.InvariantCulture;
        var set = s.Settings;
        var parts = new List<string> { "scratchnet train", "--dataset " + DataFileName, "--target label", $"--features '{string.Join(",", set.Features)}'" };
        string? note = null;
        if (set.Layers.Count > 0)
        {
            parts.Add("--layers " + string.Join(",", set.Layers.Select(l => l.Units.ToString(ci))));
            var activations = set.Layers.Select(l => l.Activation).Distinct().ToList();
            if (activations.Count > 1 || activations[0] == "linear")
                note = $"The command takes one activation for every hidden layer: it uses {set.Layers[0].Activation}, the page has {string.Join(", ", set.Layers.Select(l => l.Activation))}.";
            if (activations[0] != "linear") parts.Add("--activation " + set.Layers[0].Activation);
        }
        parts.Add("--optimizer " + set.Optimizer);
        parts.Add("--lr " + set.LearningRate.ToString("R", ci));
        parts.Add("--batch-size " + set.BatchSize.ToString(ci));
        if (set.Dropout > 0) parts.Add("--dropout " + set.Dropout.ToString("R", ci));
        if (set.L1 > 0) parts.Add("--l1 " + set.L1.ToString("R", ci));
        if (set.L2 > 0) parts.Add("--l2 " + set.L2.ToString("R", ci));
        parts.Add("--epochs " + Math.Max(1, s.Epoch).ToString(ci));
        parts.Add("--seed " + set.Seed.ToString(ci));
        return (string.Join(" ", parts), note);
    }
}
