using System.CommandLine;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet bench`: speed measurements of the kernels.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the speed of ScratchNet's kernels.");
        return bench;
    }
}
