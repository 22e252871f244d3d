using System.Text.Json;
using ScratchNet.Cli.Benchmarking;

namespace ScratchNet.Tests.Cli;

public class GemmBenchmarkTests
{
    [Fact]
    public void MeasureReportsPositiveSpeed()
    {
        var shape = new GemmBenchmark.Shape(64, 10, 128, false, true, "mlp input gradient");
        var r = GemmBenchmark.Measure(shape, threads: 1, repetitions: 3, minSeconds: 0.001, warmupSeconds: 0.01);
        Assert.True(r.GFlops > 0 && r.BestGFlops >= r.GFlops);
        Assert.Equal(2.0 * 64 * 10 * 128, r.Flops);
    }

    [Fact]
    public void StandardShapesAreSquaresAndTheEightMlpProducts()
    {
        Assert.Equal(3, GemmBenchmark.StandardShapes.Count(s => s.Label == "square"));
        Assert.Equal(8, GemmBenchmark.StandardShapes.Count(s => s.Label.StartsWith("mlp")));
    }

    [Fact]
    public void CommandPrintsOneJsonObjectPerShape()
    {
        var (code, output, _) = Run("gemm", "--threads", "1", "--json", "--repetitions", "1", "--shapes", "input gradient");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            foreach (var key in new[] { "m", "k", "n", "transA", "transB", "threads", "gflops" })
                Assert.True(root.TryGetProperty(key, out _), $"missing key {key} in {line}");
            Assert.True(root.GetProperty("transB").GetBoolean());
            Assert.Equal(1, root.GetProperty("threads").GetInt32());
            Assert.True(root.GetProperty("gflops").GetDouble() > 0);
            Assert.Equal(ScratchNet.Tensors.Gemm.MicroKernel, root.GetProperty("kernel").GetString());
            // The speed as a fraction of the FMA peak measured in the same run, on as many threads.
            double peak = root.GetProperty("peak_gflops").GetDouble();
            Assert.True(peak > 0, line);
            // Both figures are printed rounded (F2, F4), so they agree to about 1e-4, not to the last digit.
            Assert.True(Math.Abs(root.GetProperty("gflops").GetDouble() / peak - root.GetProperty("fraction_of_peak").GetDouble()) < 1e-3, line);
        }
    }

    [Fact]
    public void PeakPrintsOneLinePerThreadCount()
    {
        var (code, output, _) = Run("gemm", "--peak", "--threads", "2", "--repetitions", "1");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("FMA peak, 1 thread(s): ", lines[0]);
        Assert.StartsWith("FMA peak, 2 thread(s): ", lines[1]);
        Assert.Contains($"{FmaPeak.VectorKind}, {FmaPeak.Chains} independent chains", lines[1]);
    }

    [Fact]
    public void FmaPeakIsPositiveAndChecksItsArguments()
    {
        Assert.True(FmaPeak.Measure(1, repetitions: 1, seconds: 0.002) > 0);
        Assert.True(FmaPeak.Measure(2, repetitions: 1, seconds: 0.002) > 0);
        Assert.True(FmaPeak.Measure(1, repetitions: 1, seconds: 0.002, cpuTime: true) > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.Measure(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.Measure(1, repetitions: 0));
        Assert.Throws<ArgumentException>(() => FmaPeak.Measure(2, cpuTime: true));
    }

    [Fact]
    public void BadThreadCountIsAOneLineError()
    {
        var (code, _, error) = Run("gemm", "--threads", "0");
        Assert.Equal(1, code);
        Assert.Contains("--threads must be between 1 and 1024", error);
    }

    [Fact]
    public void CpuTimeNeedsOneThread()
    {
        var (code, _, error) = Run("gemm", "--threads", "2", "--cpu-time");
        Assert.Equal(1, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--cpu-time needs --threads 1", error);
        var shape = new GemmBenchmark.Shape(8, 8, 8, false, false, "tiny");
        Assert.True(GemmBenchmark.Measure(shape, 1, 3, 0.001, 0.01, cpuTime: true).GFlops > 0);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRunner.Run(["bench", .. args]);
}
