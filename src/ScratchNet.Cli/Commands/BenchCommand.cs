using System.CommandLine;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet bench`: speed measurements of the kernels and of training.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the speed of ScratchNet's kernels (gemm) and of training (train PRESET).");
        bench.Subcommands.Add(BenchGemmCommand.Create());
        bench.Subcommands.Add(BenchTrainCommand.Create());
        bench.Subcommands.Add(BenchPredictCommand.Create());
        bench.Subcommands.Add(BenchTransformerCommand.Create());
        bench.Subcommands.Add(BenchGanQualityCommand.Create());
        bench.Subcommands.Add(BenchMemoryCommand.Create());
        return bench;
    }
}
