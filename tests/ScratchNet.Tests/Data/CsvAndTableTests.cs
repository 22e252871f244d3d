using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class CsvAndTableTests
{
    private static LoadedData LoadCsv(TempFolder dir, string text, DatasetLoadOptions? options = null)
    {
        string path = dir.File("t.csv");
        File.WriteAllText(path, text);
        return new DatasetManager().Load(path, options ?? new DatasetLoadOptions { TestFraction = 0 });
    }

    private static string Fails(string text, DatasetLoadOptions? options = null)
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => LoadCsv(dir, text, options));
        Assert.StartsWith(dir.File("t.csv") + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void NonNumberNamesFileLineAndColumn() =>
        Assert.EndsWith("t.csv: line 3, column 2 ('b'): 'abc' is not a number, but the column starts with numbers ('2' on line 2): a feature column holds numbers or text categories, not both", Fails("a,b,y\n1,2,3\n4,abc,6\n"));

    [Fact]
    public void MissingTargetColumnListsTheColumns() =>
        Assert.EndsWith("t.csv: no column named 'price'; the columns are: 'a', 'b', 'y'", Fails("a,b,y\n1,2,3\n", new DatasetLoadOptions { Target = "price", TestFraction = 0 }));

    [Fact]
    public void EmptyFile() => Assert.EndsWith("t.csv: the file is empty (expected a header line and data rows)", Fails(""));

    [Fact]
    public void HeaderOnly() => Assert.EndsWith("t.csv: no data rows after the header line", Fails("a,b\n"));

    [Fact]
    public void RaggedRow() => Assert.EndsWith("t.csv: line 3 has 2 fields but the header has 3", Fails("a,b,y\n1,2,3\n4,5\n"));

    [Fact]
    public void UnclosedQuote() => Assert.Contains("line 2: a quoted field is not closed", Fails("a,y\n\"1,2\n"));

    [Fact]
    public void AColumnWithNoValueIsRefused() =>
        Assert.EndsWith("t.csv: column 'a' has no value in any row (every cell is empty or NA): leave it out of the features", Fails("a,b,y\n,1,2\nNA,3,4\n"));

    [Fact]
    public void RegressionTargetMustBeNumeric() =>
        Assert.Contains("line 3, column 2 ('y'): 'cat' is not a number (a regression target must be numeric)",
            Fails("a,y\n1,2.5\n2,cat\n", new DatasetLoadOptions { Task = "regression", TestFraction = 0 }));

    [Fact]
    public void TextLabelsBecomeSortedClasses()
    {
        using var dir = new TempFolder();
        var data = LoadCsv(dir, "x1,x2,species\n1,2,versicolor\n3,4,setosa\n5,6,\"versicolor\"\n7,8,virginica\n");
        Assert.Equal(3, data.Train.ClassCount);
        Assert.Equal(["setosa", "versicolor", "virginica"], data.Train.ClassNames);
        var t = (InMemoryDataset)data.Train;
        Assert.Equal([1f, 0f, 1f, 2f], t.Targets.ToArray());
    }

    [Fact]
    public void FewIntegerLabelsAreClasses()
    {
        using var dir = new TempFolder();
        var data = LoadCsv(dir, "x,label\r\n0.5,3\r\n1.5,1\r\n2.5,3\r\n");
        Assert.Equal(["1", "3"], data.Train.ClassNames);
        Assert.Equal([1f, 0f, 1f], ((InMemoryDataset)data.Train).Targets.ToArray());
    }

    [Fact]
    public void QuotedCellsWithCommas()
    {
        var t = CsvReader.Parse("name,v\n\"a, \"\"b\"\"\",1\n", "mem");
        Assert.Equal("a, \"b\"", t.Rows[0][0]);
    }

    [Fact]
    public void SplitIsSeededAndComplete()
    {
        var (a1, b1) = DatasetSplitter.SplitIndices(100, 0.2, 7);
        var (a2, b2) = DatasetSplitter.SplitIndices(100, 0.2, 7);
        Assert.Equal(a1, a2);
        Assert.Equal(b1, b2);
        Assert.Equal(20, b1.Length);
        Assert.Equal(Enumerable.Range(0, 100), a1.Concat(b1).Order());
        Assert.NotEqual(b1, DatasetSplitter.SplitIndices(100, 0.2, 8).HeldOut);
    }

    [Fact]
    public void StandardizerTransformMatchesTheScalarFormula()
    {
        var rng = new Rng(5);
        var x = new ScratchNet.Tensors.Tensor(7, 33);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextGaussian() * 10 + 3);
        var s = Standardizer.Fit(x, StandardizeMode.ZScore);
        var y = x.Clone();
        s.Transform(y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits((x[i] - s.Shift[i % 33]) / s.Scale[i % 33]), BitConverter.SingleToInt32Bits(y[i]));
    }

    [Fact]
    public void StandardizerRoundTripsThroughJson()
    {
        var x = ScratchNet.Tensors.Tensor.FromArray([1f, 10f, 2f, 20f, 4f, 40f], 3, 2);
        foreach (var mode in new[] { StandardizeMode.ZScore, StandardizeMode.MinMax })
        {
            var s = Standardizer.Fit(x, mode);
            var back = Standardizer.FromJson(s.ToJson());
            Assert.Equal(s.Mode, back.Mode);
            Assert.Equal(s.Shift, back.Shift);
            Assert.Equal(s.Scale, back.Scale);
            var y = x.Clone();
            s.Transform(y);
            if (mode == StandardizeMode.MinMax) Assert.Equal([0f, 0f, 1f / 3, 1f / 3, 1f, 1f], y.ToArray());
            s.Inverse(y);
            for (int i = 0; i < 6; i++) Assert.Equal(x[i], y[i], 5);
        }
    }
}
