using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Benchmarking;
using ScratchNet.Tensors;

namespace ScratchNet.Cli.Commands;

/// <summary><c>scratchnet bench gemm [--threads N] [--json]</c>: GEMM speed in GFLOP/s on squares and the MLP products.</summary>
public static class BenchGemmCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads")
        {
            Description = "Threads to use (default: Compute.Threads, the processor count).",
            DefaultValueFactory = _ => Compute.Threads,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line: m, k, n, transA, transB, threads, gflops." };
        var repetitions = new Option<int>("--repetitions")
        {
            Description = "Timed repetitions per shape; the median is reported.",
            DefaultValueFactory = _ => 7,
        };
        var cpuTime = new Option<bool>("--cpu-time") { Description = "Time with process CPU time instead of the wall clock (needs --threads 1): steadier on a busy machine." };
        var filter = new Option<string?>("--shapes") { Description = "Only shapes whose label contains this text (square, mlp, forward, gradient)." };

        var command = new Command("gemm", "Measure GEMM speed (GFLOP/s = 2*m*n*k / seconds) on squares and the products of an MLP training step.")
        {
            threads, json, repetitions, filter, cpuTime,
        };
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, error = parse.InvocationConfiguration.Error;
            int t = parse.GetValue(threads);
            int reps = parse.GetValue(repetitions);
            if (t < 1) { error.WriteLine($"error: --threads must be at least 1 (got {t})."); return 2; }
            if (reps < 1) { error.WriteLine($"error: --repetitions must be at least 1 (got {reps})."); return 2; }
            bool cpu = parse.GetValue(cpuTime);
            if (cpu && t != 1) { error.WriteLine($"error: --cpu-time needs --threads 1 (got {t})."); return 2; }
            string? only = parse.GetValue(filter);
            var shapes = GemmBenchmark.StandardShapes.Where(s => only is null || s.Label.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
            if (shapes.Count == 0) { error.WriteLine($"error: no shape label contains '{only}'."); return 2; }
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                output.WriteLine($"GEMM, {t} thread(s), micro-kernel {Gemm.MicroKernel}; median of {reps} timings ({(cpu ? "CPU time" : "wall clock")})");
                output.WriteLine($"{"m x k x n",-18} {"op",-8} {"label",-20} {"GFLOP/s",9} {"best",9} {"us/call",10}");
            }
            foreach (var shape in shapes)
            {
                var r = GemmBenchmark.Measure(shape, t, reps, cpuTime: cpu);
                if (asJson) output.WriteLine(r.ToJson());
                else
                {
                    string op = $"{(shape.TransA ? "A^T" : "A")}*{(shape.TransB ? "B^T" : "B")}";
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{$"{shape.M} x {shape.K} x {shape.N}",-18} {op,-8} {shape.Label,-20} {r.GFlops,9:F1} {r.BestGFlops,9:F1} {r.MedianSeconds * 1e6,10:F1}"));
                }
            }
            return 0;
        });
        return command;
    }
}
