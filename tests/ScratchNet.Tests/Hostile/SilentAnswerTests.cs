using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Issue 17, fourth class: never a silent wrong answer. A numeric target column with one NaN or 1e999
/// cell, or any cell that is not a number, must not be taken for a classification with one class per
/// distinct value: it is an error that names the file, the line and the column, and the run leaves
/// nothing behind. A model file with a NaN weight is refused likewise.
/// </summary>
public class SilentAnswerTests
{
    private static string Csv(TempFolder dir, string badCell)
    {
        string path = dir.File("sales.csv");
        var rows = Enumerable.Range(0, 49).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{i * 0.37 + 1:F2}"));
        File.WriteAllLines(path, ["tv,sales", .. rows, $"50,{badCell}"]);
        return path;
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("1e999")]
    [InlineData("-1e999")]
    [InlineData("n/a")]
    [InlineData("12,5")]
    public void ANumericTargetWithOneBadCellIsAnError(string badCell)
    {
        using var dir = new TempFolder();
        string path = Csv(dir, badCell.Contains(',') ? $"\"{badCell}\"" : badCell);
        string expected = $"{path}: line 51, column 2 ('sales'): '{badCell}' is not a finite number, but 49 of the 50 cells of the target column are numbers";
        Refusal.Library<DataFormatException>(expected, 4L << 20, () => new DatasetManager().Load(path));
        string outDir = dir.File("run");
        Refusal.Cli(2, expected, 16L << 20, "train", "--dataset", path, "--out", outDir, "--no-plots", "--plain");
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "the failed run left files behind");
        Refusal.OnlyFiles(dir, "sales.csv");
    }

    [Fact]
    public void TheSameColumnIsARegressionWithoutTheBadCell()
    {
        using var dir = new TempFolder();
        string path = Csv(dir, "19.5");
        var data = new DatasetManager().Load(path, new DatasetLoadOptions { TestFraction = 0 });
        Assert.Equal("regression", data.Info.Task);
        Assert.Equal(50, data.Train.Count);
    }

    /// <summary>Asked for, a classification reads every cell as a label, numbers and words alike.</summary>
    [Fact]
    public void AGivenClassificationReadsEveryCellAsALabel()
    {
        using var dir = new TempFolder();
        string path = dir.File("labels.csv");
        File.WriteAllLines(path, ["x,kind", "1,2.5", "2,other", "3,2.5", "4,1e999"]);
        var data = new DatasetManager().Load(path, new DatasetLoadOptions { TestFraction = 0, Task = "classification" });
        Assert.Equal(["1e999", "2.5", "other"], data.Train.ClassNames);
        Assert.Equal([1f, 2f, 1f, 0f], ((InMemoryDataset)data.Train).Targets.ToArray());
    }

    [Fact]
    public void AllTextLabelsAreStillClasses()
    {
        using var dir = new TempFolder();
        string path = dir.File("labels.csv");
        File.WriteAllLines(path, ["x,kind", "1,cat", "2,dog", "3,cat"]);
        var data = new DatasetManager().Load(path, new DatasetLoadOptions { TestFraction = 0 });
        Assert.Equal(["cat", "dog"], data.Train.ClassNames);
        Assert.Equal([1], data.Train.SampleShape);
    }

    /// <summary>A well-formed model file with one NaN weight made every prediction NaN ("class 0 (NaN %)"): refused, naming the tensor and the index.</summary>
    [Fact]
    public void AModelFileWithANaNWeightIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("m.safetensors");
        var model = new ScratchNet.Models.Sequential(new ScratchNet.Layers.Dense(2)).Build([3], 1);
        ((ScratchNet.Layers.Dense)model.Layers[0]).Weight.Value[4] = float.NaN;
        ScratchNet.Serialization.ModelFile.Save(path, model, new ScratchNet.Serialization.ModelMetadata { Task = "classification", Dataset = "moons" });
        Refusal.Cli(2, $"{path}: tensor 'layers.0.weight' holds NaN at index 4 (weights must be finite numbers)", 16L << 20, "inspect", path);
    }

    [Fact]
    public void ALabelLongerThanANameMayBeIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("labels.csv");
        File.WriteAllLines(path, ["x,kind", "1,cat", "2," + new string('d', 5000)]);
        Refusal.Library<DataFormatException>($"{path}: line 3, column 2 ('kind'): a class label of 5,000 characters (at most 1,000)", 4L << 20,
            () => new DatasetManager().Load(path));
    }
}
