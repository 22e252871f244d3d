using System.CommandLine;
using System.CommandLine.Parsing;
using ScratchNet.Cli.Commands;

namespace ScratchNet.Cli;

/// <summary>The scratchnet command line: one root command with a subcommand per job.</summary>
public static class CliApp
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("ScratchNet: neural networks written from scratch in C#. Train, evaluate, inspect and learn.");
        foreach (var command in CommandCatalog.Create()) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs; returns the exit code. Errors are one line on stderr, never a stack trace.</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = BuildRoot();
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // An unknown word explains the others ("required command was not provided"), so it goes first.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            string commandPath = CommandPath(parse.CommandResult);
            stderr.WriteLine($"scratchnet: {TrimPeriod(error.Message)}. See '{commandPath} --help' for usage.");
            return ExitCodes.Usage;
        }
        // The executable is ScratchNet.Cli.dll (an assembly cannot be named like the library but for
        // case), while the installed tool is called scratchnet: help text says the latter.
        var helpBuffer = parse.Action is System.CommandLine.Help.HelpAction ? new StringWriter() : null;
        var config = new InvocationConfiguration { Output = helpBuffer ?? stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            int code = parse.Invoke(config);
            if (helpBuffer is not null) stdout.Write(helpBuffer.ToString().Replace("ScratchNet.Cli", "scratchnet").Replace(root.Name, "scratchnet"));
            return code;
        }
        catch (Exception ex)
        {
            var (code, message) = ErrorReporting.Describe(ex);
            stderr.WriteLine($"scratchnet: {message}");
            return code;
        }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            names.Add(c.Command is RootCommand ? "scratchnet" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string TrimPeriod(string s) => s.TrimEnd().TrimEnd('.');
}
