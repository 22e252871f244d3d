using System.CommandLine;

namespace ScratchNet.Cli;

/// <summary>The scratchnet command line: one root command with a subcommand per job.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("ScratchNet: neural networks written from scratch in C#.");
        return root.Parse(args).Invoke();
    }
}
