using ScratchNet.Data;
using ScratchNet.Serialization;
using ScratchNet.Tests.Hostile;

namespace ScratchNet.Tests.Data;

/// <summary>
/// Text columns one-hot, missing cells filled from the training split, a regression target
/// standardised, the encoding saved and applied again: small exact cases worked out by hand.
/// </summary>
public class TableEncodingTests
{
    private const string Houses = "area,zone,garage,price\n100,A,1,10\n200,B,,20\n,A,0,30\n400,C,1,40\n500,NA,1,50\n";

    private static LoadedData Load(TempFolder dir, string text, DatasetLoadOptions options, string name = "t.csv")
    {
        string path = dir.File(name);
        File.WriteAllText(path, text);
        return new DatasetManager().Load(path, options);
    }

    private static float[] Row(Dataset data, int i)
    {
        var x = ((InMemoryDataset)data).Features;
        return x.Span.Slice(i * x.Columns, x.Columns).ToArray();
    }

    /// <summary>
    /// area: mean of 100, 200, 400, 500 = 300 for the empty cell; zone: A, B, C one-hot, NA taken as A
    /// (2 of the 4 known zones); garage: mean of 1, 0, 1, 1 = 0.75. Price: mean 30, deviation √200.
    /// </summary>
    [Fact]
    public void TextColumnsAreOneHotAndMissingCellsFilled()
    {
        using var dir = new TempFolder();
        var data = Load(dir, Houses, new DatasetLoadOptions { Target = "price", Task = "regression", TestFraction = 0, StandardizeTarget = true });
        var enc = data.Encoding!;
        Assert.Equal(5, enc.Width);
        Assert.Equal(["area", "zone=A", "zone=B", "zone=C", "garage"], enc.InputNames);
        Assert.Equal([100f, 1, 0, 0, 1], Row(data.Train, 0));
        Assert.Equal([200f, 0, 1, 0, 0.75f], Row(data.Train, 1));
        Assert.Equal([300f, 1, 0, 0, 0], Row(data.Train, 2));
        Assert.Equal([400f, 0, 0, 1, 1], Row(data.Train, 3));
        Assert.Equal([500f, 1, 0, 0, 1], Row(data.Train, 4));
        Assert.Equal(30, enc.Target!.Mean, 12);
        Assert.Equal(Math.Sqrt(200), enc.Target.Scale, 6);
        var y = ((InMemoryDataset)data.Train).Targets.ToArray();
        Assert.Equal(-2 / Math.Sqrt(2), y[0], 5);
        Assert.Equal(0, y[2], 6);
    }

    /// <summary>The fills see only the training rows: the test rows hold 1000 and zone Z, which must not move them.</summary>
    [Fact]
    public void FillsComeFromTheTrainingSplitOnly()
    {
        using var dir = new TempFolder();
        int n = 10;
        var (train, test) = DatasetSplitter.SplitIndices(n, 0.3, 7);
        var rows = Enumerable.Range(0, n).Select(i => test.Contains(i) ? "1000,Z,1" : $"{i},{(i % 3 == 0 ? "P" : "Q")},{i}").ToArray();
        rows[train[0]] = ",,0";
        var data = Load(dir, "a,kind,y\n" + string.Join("\n", rows) + "\n", new DatasetLoadOptions { Target = "y", Task = "regression", TestFraction = 0.3, Seed = 7 });
        var known = train.Skip(1).ToArray();
        var a = data.Encoding!.Columns[0];
        Assert.Equal((float)known.Average(i => (double)i), a.Fill, 5);
        var kind = data.Encoding.Columns[1];
        Assert.Equal(["P", "Q", "Z"], kind.Categories);
        string mode = known.Count(i => i % 3 == 0) > known.Count(i => i % 3 != 0) ? "P" : "Q";
        Assert.Equal(mode, kind.Categories![kind.FillCategory]);
    }

    /// <summary>Saved and read back, the encoding gives the same inputs for new rows; a missing cell is filled, an unknown zone refused with file, line, column and value.</summary>
    [Fact]
    public void TheSavedEncodingIsAppliedToNewRows()
    {
        using var dir = new TempFolder();
        var data = Load(dir, Houses, new DatasetLoadOptions { Target = "price", Task = "regression", TestFraction = 0, StandardizeTarget = true });
        var again = TableEncoding.FromJson(data.Encoding!.ToJson());
        Assert.Equal(data.Encoding.ToJson(), again.ToJson());
        string path = dir.File("new.csv");
        File.WriteAllText(path, "zone,garage,area,price\nC,,NA,1\n");
        Assert.Equal([300f, 0, 0, 1, 0.75f], again.ReadInputs(path).ToArray());
        File.WriteAllText(path, "zone,garage,area\nB,1,2\nD,1,2\n");
        var e = Assert.Throws<DataFormatException>(() => again.ReadInputs(path));
        Assert.Equal($"{path}: line 3, column 1 ('zone'): category 'D' was not seen in training (the model knows 3: 'A', 'B', 'C')", e.Message);
        var evaluated = new DatasetManager().Load(dir.File("t.csv"), new DatasetLoadOptions { Target = "price", Task = "regression", TestFraction = 0, Encoding = again });
        Assert.Equal(Row(data.Train, 1), Row(evaluated.Train, 1));
        Assert.Equal(((InMemoryDataset)data.Train).Targets.ToArray(), ((InMemoryDataset)evaluated.Train).Targets.ToArray());
    }

    [Fact]
    public void AnEncodingSurvivesTheModelFile()
    {
        using var dir = new TempFolder();
        var data = Load(dir, Houses, new DatasetLoadOptions { Target = "price", Task = "regression", TestFraction = 0 });
        var model = new ScratchNet.Models.Sequential([new ScratchNet.Layers.Dense(1)]);
        model.Build([5], seed: 1);
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, model, new ModelMetadata { Task = "regression", Encoding = data.Encoding });
        Assert.Equal(data.Encoding!.ToJson(), ModelFile.Load(path).Metadata.Encoding!.ToJson());
        var narrow = new ScratchNet.Models.Sequential([new ScratchNet.Layers.Dense(1)]);
        narrow.Build([4], seed: 1);
        ModelFile.Save(path, narrow, new ModelMetadata { Task = "regression", Encoding = data.Encoding });
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains("the table encoding makes 5 inputs but the model's input has 4 values", e.Message);
    }

    [Theory]
    [InlineData("{\"columns\":[]}", "columns (1 to")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"categories\":[]}]}", "categories must be an array of 1 to 1,024 strings")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"categories\":[\"x\",\"x\"],\"fill_category\":0}]}", "lists category 'x' twice")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"categories\":[\"x\"],\"fill_category\":3}]}", "fill category 3 is not one of its 1 categories")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"fill\":\"big\"}]}", "fill is not a number")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"fill\":1e39}]}", "its fill value must be finite")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"fill\":1},{\"name\":\"a\",\"fill\":1}]}", "lists column 'a' twice")]
    [InlineData("{\"columns\":[{\"name\":\"a\",\"fill\":1}],\"target\":{\"mean\":1,\"scale\":0}}", "positive, finite scale")]
    [InlineData("[1]", "not an object with a 'columns' array")]
    public void AMalformedEncodingIsRefusedInOneLine(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => TableEncoding.FromJson(json));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>A vocabulary bomb: a text column of 5,000 distinct values stops at the 1,025th (line 1,026), bounded in memory.</summary>
    [Fact]
    public void ATextColumnOfTooManyValuesIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("ids.csv");
        File.WriteAllText(path, "id,y\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"customer-{i},{i % 2}\n")));
        Refusal.Library<DataFormatException>("line 1026, column 1 ('id'): the column has more than 1,024 distinct text values (Limits.MaxCategoriesPerColumn): an identifier or free text, not a category; leave it out of the features",
            4L << 20, () => new DatasetManager().Load(path));
    }

    [Fact]
    public void ACategoryLongerThanANameIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.csv");
        File.WriteAllText(path, $"kind,y\nshort,1\n{new string('k', 5000)},2\n");
        Refusal.Library<DataFormatException>("line 3, column 1 ('kind'): a category of 5,000 characters (at most 1,000)", 4L << 20, () => new DatasetManager().Load(path));
    }

    [Fact]
    public void AColumnEmptyInEveryTrainingRowIsRefused()
    {
        using var dir = new TempFolder();
        var (train, test) = DatasetSplitter.SplitIndices(5, 0.2, 1);
        var rows = Enumerable.Range(0, 5).Select(i => test.Contains(i) ? $"7,{i}" : $",{i}");
        string path = dir.File("t.csv");
        File.WriteAllText(path, "a,y\n" + string.Join("\n", rows) + "\n");
        var e = Assert.Throws<DataFormatException>(() => new DatasetManager().Load(path, new DatasetLoadOptions { Task = "regression" }));
        Assert.EndsWith("column 'a' has no value in the 4 training rows (every one is empty or NA), so nothing to fill its missing cells with", e.Message);
    }
}
