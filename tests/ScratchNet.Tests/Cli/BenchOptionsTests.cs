using System.Text.Json;
using ScratchNet.Cli.Benchmarking;

namespace ScratchNet.Tests.Cli;

/// <summary><c>bench gemm --shape</c> and <c>bench train --batch-size</c>: parsing, a tiny run, and one-line errors.</summary>
public class BenchOptionsTests
{
    [Theory]
    [InlineData("7x33x5:TN", 7, 33, 5, true, false)]
    [InlineData("7x33x5", 7, 33, 5, false, false)]
    [InlineData("4096x128x256:NT", 4096, 128, 256, false, true)]
    [InlineData("1x1x1:tt", 1, 1, 1, true, true)]
    [InlineData("13X17X3:nn", 13, 17, 3, false, false)]
    public void ParsesSizesAndTransposes(string text, int m, int k, int n, bool transA, bool transB)
    {
        var shape = Assert.Single(GemmBenchmark.ParseShapes(text));
        Assert.Equal(new GemmBenchmark.Shape(m, k, n, transA, transB, GemmBenchmark.GivenLabel), shape);
    }

    [Fact]
    public void ParsesACommaSeparatedList()
    {
        var shapes = GemmBenchmark.ParseShapes("4096x784x256, 784x4096x256:TN");
        Assert.Equal([(4096, 784, 256, false), (784, 4096, 256, true)], shapes.Select(s => (s.M, s.K, s.N, s.TransA)));
    }

    [Theory]
    [InlineData("12x3", "expected three sizes")]
    [InlineData("1x2x3x4", "expected three sizes")]
    [InlineData("0x5x5", "m must be a whole number from 1")]
    [InlineData("5x0x5", "k must be a whole number from 1")]
    [InlineData("5x5x-1", "n must be a whole number from 1")]
    [InlineData("5x5x99999999999", "n must be a whole number from 1")]
    [InlineData("5x 5x5", "k must be a whole number from 1")]
    [InlineData("5x5x5:XY", "must be NN, TN, NT or TT")]
    [InlineData("5x5x5:", "must be NN, TN, NT or TT")]
    [InlineData("", "an empty entry")]
    [InlineData("40960000x784x256", "Limits.MaxGemmBenchmarkBytes")]
    [InlineData("2147483647x2147483647x2147483647", "Limits.MaxGemmBenchmarkBytes")]
    public void RefusesAMalformedOrHugeShape(string text, string problem)
    {
        var e = Assert.Throws<FormatException>(() => GemmBenchmark.ParseShape(text));
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TheByteCapIsInclusive()
    {
        // 4·(m·k + k·n + m·n) with m = n = 8192, k = 8192: 768 MiB, under 1 GiB; k = 16384 takes 4·(2·2^27 + 2^26) = 1.25 GiB.
        Assert.Equal(8192, GemmBenchmark.ParseShape("8192x8192x8192").K);
        Assert.Throws<FormatException>(() => GemmBenchmark.ParseShape("8192x16384x8192"));
        // Exactly the cap: k = 1 and (m + 1)(n + 1) = 2^28 + 1 = 17 · 15,790,321 give m·k + k·n + m·n = 2^28 values, 1 GiB.
        Assert.Equal(15_790_320, GemmBenchmark.ParseShape("16x1x15790320").N);
        Assert.Throws<FormatException>(() => GemmBenchmark.ParseShape("16x1x15790321"));
    }

    [Fact]
    public void ATinyShapeRunPrintsItsSizesAndTransposes()
    {
        var lines = CliRunner.Ok("bench", "gemm", "--shape", "7x33x5:TN", "--repetitions", "1", "--threads", "1", "--json")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var doc = JsonDocument.Parse(Assert.Single(lines));
        var root = doc.RootElement;
        Assert.Equal(7, root.GetProperty("m").GetInt32());
        Assert.Equal(33, root.GetProperty("k").GetInt32());
        Assert.Equal(5, root.GetProperty("n").GetInt32());
        Assert.True(root.GetProperty("transA").GetBoolean());
        Assert.False(root.GetProperty("transB").GetBoolean());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.True(root.GetProperty("gflops").GetDouble() > 0);
        Assert.Equal(GemmBenchmark.GivenLabel, root.GetProperty("label").GetString());
    }

    [Fact]
    public void ShapeIsRepeatableAndTakesLists()
    {
        var lines = CliRunner.Ok("bench", "gemm", "--shape", "3x4x5:NT,6x7x8", "--shape", "9x10x11:TT", "--repetitions", "1", "--threads", "1", "--json")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var got = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var r = doc.RootElement;
            return (r.GetProperty("m").GetInt32(), r.GetProperty("transA").GetBoolean(), r.GetProperty("transB").GetBoolean());
        });
        Assert.Equal([(3, false, true), (6, false, false), (9, true, true)], got);
    }

    [Fact]
    public void ShapesFilterAddsTheStandardShapesItSelects()
    {
        var lines = CliRunner.Ok("bench", "gemm", "--shape", "3x4x5", "--shapes", "input gradient", "--repetitions", "1", "--threads", "1", "--json")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"label\": \"given\"", lines[0]);
        Assert.All(lines[1..], l => Assert.Contains("\"label\": \"mlp input gradient\"", l));
    }

    [Theory]
    [InlineData("12x3", "--shape '12x3': expected three sizes")]
    [InlineData("0x5x5", "--shape '0x5x5': m must be a whole number from 1")]
    [InlineData("5x5x5:XY", "--shape '5x5x5:XY': the transposes after ':' must be NN, TN, NT or TT")]
    [InlineData("100000x100000x100000", "more than the limit of 1,073,741,824 (Limits.MaxGemmBenchmarkBytes)")]
    [InlineData("5x5x5,,6x6x6", "--shape an empty entry")]
    public void BadShapeIsAOneLineUsageError(string text, string expected)
    {
        var (code, output, error) = CliRunner.Run("bench", "gemm", "--shape", text, "--repetitions", "1");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("scratchnet: ", error);
        Assert.Contains(expected, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--threads", "0", "--threads must be between 1 and 1024")]
    [InlineData("--repetitions", "0", "--repetitions must be between 1 and 10000")]
    [InlineData("--repetitions", "2147483647", "--repetitions must be between 1 and 10000")]
    [InlineData("--shapes", "nothing-like-this", "no standard shape label contains 'nothing-like-this'")]
    public void BadGemmOptionIsAOneLineUsageError(string option, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run("bench", "gemm", option, value);
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void BenchTrainTakesTheBatchSize()
    {
        using var doc = JsonDocument.Parse(CliRunner.Ok("bench", "train", "moons", "--batch-size", "7", "--epochs", "2", "--threads", "1", "--json"));
        var root = doc.RootElement;
        Assert.Equal(7, root.GetProperty("batch_size").GetInt32());
        Assert.Equal(2, root.GetProperty("epoch_seconds").GetArrayLength());
        Assert.All(root.GetProperty("epoch_seconds").EnumerateArray(), e => Assert.True(e.GetDouble() > 0));
    }

    [Fact]
    public void BenchTrainKeepsThePresetsBatchSizeWithoutTheOption()
    {
        int preset = ScratchNet.Training.Presets.PresetCatalog.Get("moons").BatchSize;
        using var doc = JsonDocument.Parse(CliRunner.Ok("bench", "train", "moons", "--epochs", "1", "--threads", "1", "--json"));
        Assert.Equal(preset, doc.RootElement.GetProperty("batch_size").GetInt32());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65537")]
    [InlineData("many")]
    public void BadBatchSizeIsAOneLineUsageError(string value)
    {
        var (code, output, error) = CliRunner.Run("bench", "train", "moons", "--batch-size", value);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("--batch-size must be", error);
        Assert.Contains($"'{value}'", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void BenchPredictTimesTheModelsEvaluationSamples()
    {
        using var dir = new ScratchNet.Tests.Data.TempFolder();
        CliRunner.Ok("train", "moons", "--epochs", "1", "--samples", "100", "--no-plots", "--out", dir.Path);
        using var doc = JsonDocument.Parse(CliRunner.Ok("bench", "predict", "--model", dir.Path, "--batch-size", "7", "--repetitions", "2", "--threads", "1", "--json"));
        var root = doc.RootElement;
        Assert.Equal("moons", root.GetProperty("dataset").GetString());
        Assert.Equal(7, root.GetProperty("batch_size").GetInt32());
        Assert.True(root.GetProperty("samples").GetInt32() > 0);
        Assert.Equal(2, root.GetProperty("seconds").GetArrayLength());
        Assert.Equal(2, root.GetProperty("cpu_seconds").GetArrayLength());
        Assert.True(root.GetProperty("samples_per_second").GetDouble() > 0);
        var perCpuSecond = root.GetProperty("samples_per_cpu_second");
        Assert.True(perCpuSecond.ValueKind == JsonValueKind.Null || perCpuSecond.GetDouble() > 0);
    }

    [Theory]
    [InlineData("--batch-size", "0", "--batch-size must be between 1 and")]
    [InlineData("--repetitions", "0", "--repetitions must be between 1 and 10000")]
    public void BadBenchPredictOptionIsAOneLineUsageError(string option, string value, string expected)
    {
        var (code, output, error) = CliRunner.Run("bench", "predict", "--model", "whatever.safetensors", option, value);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void BenchPredictOnAMissingModelIsAnInputError()
    {
        var (code, _, error) = CliRunner.Run("bench", "predict", "--model", "/nonexistent/model.safetensors");
        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
