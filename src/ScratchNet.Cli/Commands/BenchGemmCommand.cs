using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Benchmarking;
using ScratchNet.Cli.Options;
using ScratchNet.Tensors;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// <c>scratchnet bench gemm [--shape MxKxN[:OP]]... [--shapes TEXT] [--threads N] [--json] [--peak]</c>: GEMM speed in
/// GFLOP/s = 2·m·n·k / seconds, on the given products or on squares and the MLP products, and as a
/// fraction of the machine's float32 FMA peak on as many threads, measured first (<see cref="FmaPeak"/>).
/// </summary>
public static class BenchGemmCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var threads = Opt.Integer("--threads", "Threads to use (default: Compute.Threads, the processor count).", min: 1, max: 1024);
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line: m, k, n, transA, transB, threads, gflops." };
        var repetitions = Opt.Integer("--repetitions", "Timed repetitions per shape; the median is reported (default 7).", min: 1, max: Limits.MaxBenchmarkRepetitions);
        var peakOnly = new Option<bool>("--peak") { Description = "Only measure the machine's float32 FMA peak (independent FMA chains) on 1 up to --threads threads, and print it." };
        var cpuTime = new Option<bool>("--cpu-time") { Description = "Time with process CPU time instead of the wall clock (needs --threads 1): steadier on a busy machine." };
        var filter = new Option<string?>("--shapes") { Description = "Only standard shapes whose label contains this text (square, mlp, forward, gradient)." };
        var shape = new Option<GemmBenchmark.Shape[]>("--shape")
        {
            Description = "A product C = op(A)·op(B) to time instead of the standard shapes: MxKxN, op(A) m x k and op(B) k x n, " +
                "with :NN, :TN (AᵀB), :NT (ABᵀ) or :TT for the transposes (default NN). Repeatable, or comma-separated: --shape 4096x784x256,784x4096x256:TN.",
            HelpName = "MxKxN[:OP]",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = r =>
            {
                var shapes = new List<GemmBenchmark.Shape>();
                foreach (var token in r.Tokens)
                {
                    try { shapes.AddRange(GemmBenchmark.ParseShapes(token.Value)); }
                    catch (FormatException e)
                    {
                        r.AddError($"--shape {e.Message}");
                        return [];
                    }
                }
                return [.. shapes];
            },
        };

        var command = new Command("gemm",
            "Measure GEMM speed (GFLOP/s = 2*m*n*k / seconds) on the products given with --shape, else on squares and the products of an MLP training step.")
        {
            threads, json, repetitions, filter, cpuTime, shape, peakOnly,
        };
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            int t = parse.GetValue(threads) ?? Compute.Threads;
            int reps = parse.GetValue(repetitions) ?? 7;
            bool cpu = parse.GetValue(cpuTime);
            if (cpu && t != 1) throw new CliError($"--cpu-time needs --threads 1 (got {t}). See 'scratchnet bench gemm --help' for usage.");
            string? only = parse.GetValue(filter);
            var given = parse.GetValue(shape) ?? [];
            // --shape alone times only the given products; --shapes adds the standard shapes it selects.
            var standard = given.Length > 0 && only is null ? []
                : GemmBenchmark.StandardShapes.Where(s => only is null || s.Label.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
            if (only is not null && standard.Count == 0)
                throw new CliError($"--shapes: no standard shape label contains '{TextExcerpt.Of(only)}' (labels: square, mlp forward, mlp weight gradient, mlp input gradient). See 'scratchnet bench gemm --help' for usage.");
            bool asJson = parse.GetValue(json);
            if (parse.GetValue(peakOnly))
            {
                for (int n = 1; n <= t; n++)
                {
                    double p = FmaPeak.Measure(n, Math.Max(reps, 5), cpuTime: cpu);
                    output.WriteLine(asJson
                        ? string.Create(CultureInfo.InvariantCulture, $"{{\"threads\": {n}, \"peak_gflops\": {p:F2}, \"vector\": \"{FmaPeak.VectorKind}\", \"chains\": {FmaPeak.Chains}}}")
                        : string.Create(CultureInfo.InvariantCulture, $"FMA peak, {n} thread(s): {p:F1} GFLOP/s ({FmaPeak.VectorKind}, {FmaPeak.Chains} independent chains per thread, best of {Math.Max(reps, 5)})"));
                }
                return ExitCodes.Success;
            }
            // Measured before the products, in the same process and on the same threads: the column it
            // feeds compares each product with what these cores can do now, not with a datasheet.
            double peak = FmaPeak.Measure(t, Math.Max(reps, 5), cpuTime: cpu);
            if (!asJson)
            {
                output.WriteLine($"GEMM, {t} thread(s), micro-kernel {Gemm.MicroKernel}; median of {reps} timings ({(cpu ? "CPU time" : "wall clock")})");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"FMA peak, {t} thread(s): {peak:F1} GFLOP/s ({FmaPeak.VectorKind}, {FmaPeak.Chains} independent chains per thread, best of {Math.Max(reps, 5)})"));
                output.WriteLine($"{"m x k x n",-18} {"op",-8} {"label",-20} {"GFLOP/s",9} {"best",9} {"us/call",10} {"% peak",7}");
            }
            foreach (var s in given.Concat(standard))
            {
                var r = GemmBenchmark.Measure(s, t, reps, cpuTime: cpu) with { PeakGFlops = peak };
                if (asJson) output.WriteLine(r.ToJson());
                else
                {
                    string op = $"{(s.TransA ? "A^T" : "A")}*{(s.TransB ? "B^T" : "B")}";
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{$"{s.M} x {s.K} x {s.N}",-18} {op,-8} {s.Label,-20} {r.GFlops,9:F1} {r.BestGFlops,9:F1} {r.MedianSeconds * 1e6,10:F1} {r.FractionOfPeak * 100,7:F1}"));
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
