using ScratchNet.Data;
using ScratchNet.Tests.Hostile;

namespace ScratchNet.Tests.Data;

/// <summary>
/// Log features: a numeric column read as log(1 + x) in training and again when the saved encoding
/// reads new rows; a negative value, a text column or an unknown column refused in one line.
/// </summary>
public class LogFeatureTests
{
    private const string Spend = "months,plan,spend,left\n0,A,10,No\n3,B,,Yes\n7,A,1000,No\n,B,99,Yes\n";

    private static LoadedData Load(TempFolder dir, string text, IReadOnlyList<string> logs, string name = "t.csv")
    {
        string path = dir.File(name);
        File.WriteAllText(path, text);
        return new DatasetManager().Load(path, new DatasetLoadOptions { Target = "left", TestFraction = 0, LogFeatures = logs });
    }

    private static float[] Column(Dataset data, int column)
    {
        var x = ((InMemoryDataset)data).Features;
        return Enumerable.Range(0, x.Rows).Select(i => x.Span[i * x.Columns + column]).ToArray();
    }

    /// <summary>
    /// months: log 1, log 4, log 8 and their mean for the empty cell; spend: log 11, the mean of
    /// log 11, log 1001 and log 100 for the empty cell, log 1001, log 100. plan stays one-hot.
    /// </summary>
    [Fact]
    public void LogColumnsHoldLogOnePlusXAndTheirFillIsTheMeanOfTheLogs()
    {
        using var dir = new TempFolder();
        var data = Load(dir, Spend, ["months", "spend"]);
        float m = (float)((Math.Log(1) + Math.Log(4) + Math.Log(8)) / 3), s = (float)((Math.Log(11) + Math.Log(1001) + Math.Log(100)) / 3);
        Assert.Equal([0f, (float)Math.Log(4), (float)Math.Log(8), m], Column(data.Train, 0), new FloatTolerance(1e-6f));
        Assert.Equal([(float)Math.Log(11), s, (float)Math.Log(1001), (float)Math.Log(100)], Column(data.Train, 3), new FloatTolerance(1e-6f));
        Assert.Equal([true, false, true], data.Encoding!.Columns.Select(c => c.Log1p));
        Assert.Equal([1f, 0, 1, 0], Column(data.Train, 1));

        // Saved and read back, the encoding reads new rows the same way.
        var again = TableEncoding.FromJson(data.Encoding.ToJson());
        Assert.True(again.Columns[2].Log1p);
        Assert.Contains("\"log1p\":true", data.Encoding.ToJson());
        string rows = dir.File("new.csv");
        File.WriteAllText(rows, "spend,plan,months\n1000,B,\n0,A,3\n");
        var x = again.ReadInputs(rows);
        Assert.Equal((float)Math.Log(1001), x[0, 3], 6);
        Assert.Equal(m, x[0, 0], 6);
        Assert.Equal((float)Math.Log(4), x[1, 0], 6);
        Assert.Equal(0f, x[1, 3]);
    }

    [Fact]
    public void ANegativeValueIsRefusedInTrainingAndAtPrediction()
    {
        using var dir = new TempFolder();
        Refusal.Library<DataFormatException>("line 3, column 3 ('spend'): -5 is below 0, and the column is read as log(1 + x) (a log feature)", 16L << 20,
            () => Load(dir, Spend.Replace("3,B,,Yes", "3,B,-5,Yes"), ["spend"]));
        var encoding = Load(dir, Spend, ["spend"], "ok.csv").Encoding!;
        string rows = dir.File("new.csv");
        File.WriteAllText(rows, "spend,plan,months\n1,A,2\n-0.5,B,3\n");
        Refusal.Library<DataFormatException>($"{rows}: line 3, column 1 ('spend'): -0.5 is below 0, but the model reads column 'spend' as log(1 + x)", 16L << 20,
            () => encoding.ReadInputs(rows));
    }

    [Fact]
    public void ATextColumnOrAColumnThatIsNotAFeatureIsRefused()
    {
        using var dir = new TempFolder();
        Refusal.Library<DataFormatException>("column 'plan' holds text ('A' on line 2): only a numeric column can be a log feature", 16L << 20,
            () => Load(dir, Spend, ["plan"]));
        Refusal.Library<DataFormatException>("the log feature 'income' is not one of the feature columns", 16L << 20,
            () => Load(dir, Spend, ["income"], "b.csv"));
        Assert.Throws<ArgumentException>(() => new TableEncoding([new TableColumn { Name = "plan", Categories = ["A"], Log1p = true }]));
        Assert.Throws<ArgumentException>(() => new TableEncoding([new TableColumn { Name = "spend", Fill = -1, Log1p = true }]));
        Assert.Throws<FormatException>(() => TableEncoding.FromJson("""{"columns":[{"name":"spend","fill":1,"log1p":"yes"}]}"""));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float v) => 0;
    }
}
