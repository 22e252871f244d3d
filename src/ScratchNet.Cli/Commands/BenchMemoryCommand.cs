using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Benchmarking;
using ScratchNet.Cli.Options;
using ScratchNet.Threading;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// <c>scratchnet bench memory [--mib N]... [--threads N] [--json]</c>: memory bandwidth in GB/s for a
/// read, a write and a read-modify-write stream, on arrays within and beyond the caches, so that the
/// element-wise parts of a training step can be stated as a fraction of what the machine can move.
/// </summary>
public static class BenchMemoryCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var threads = Opt.Integer("--threads", "Threads to use (default: 1, then all processors when there are several).", min: 1, max: 1024);
        var mib = new Option<int[]>("--mib")
        {
            Description = "Array size in MiB (repeatable; default 0.25, 4, 16, 128 and 512 MiB: L2, L3, beyond the L3).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        mib.Validators.Add(r =>
        {
            foreach (int v in r.GetValueOrDefault<int[]>() ?? [])
                if (v < 1 || v > Limits.MaxMemoryBenchmarkMiB) r.AddError($"--mib: {v} is not between 1 and {Limits.MaxMemoryBenchmarkMiB}.");
        });
        var repetitions = Opt.Integer("--repetitions", "The fewest timed passes per size (more are timed to fill about 100 ms); the median is reported (default 7).", min: 1, max: Limits.MaxBenchmarkRepetitions);
        var json = Opt.Flag("--json", "Print one JSON object per line: stream, bytes, threads, gbps, best_gbps, seconds.");
        var command = new Command("memory", "Measure memory bandwidth (GB/s) for read, write and read-modify-write streams, within and beyond the caches.")
        {
            threads, mib, repetitions, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            int[] counts = parse.GetValue(threads) is { } t ? [t] : WorkerPool.MaxThreads > 1 ? [1, WorkerPool.MaxThreads] : [1];
            var sizes = parse.GetValue(mib) is { Length: > 0 } given ? given.Select(m => (long)m << 20).ToArray() : MemoryBenchmark.StandardSizes;
            int reps = parse.GetValue(repetitions) ?? 7;
            bool asJson = parse.GetValue(json);
            if (!asJson)
            {
                output.WriteLine("Memory bandwidth, median pass (best pass in parentheses), GB/s = bytes read + written / s");
                output.WriteLine($"{"size",-10} {"threads",7} {"read",16} {"write",16} {"read-modify-write",18}");
            }
            foreach (long bytes in sizes)
                foreach (int n in counts)
                {
                    var results = Enum.GetValues<MemoryBenchmark.Stream>().Select(s => MemoryBenchmark.Measure(s, bytes, n, reps)).ToArray();
                    if (asJson)
                        foreach (var r in results) output.WriteLine(r.ToJson());
                    else
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{Size(bytes),-10} {n,7} {Cell(results[0]),16} {Cell(results[1]),16} {Cell(results[2]),18}"));
                }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Size(long bytes) => bytes >= 1 << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10} KiB");

    private static string Cell(MemoryBenchmark.Result r) => string.Create(CultureInfo.InvariantCulture, $"{r.GBps:F1} ({r.BestGBps:F1})");
}
