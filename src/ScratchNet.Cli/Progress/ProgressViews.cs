using Spectre.Console;

namespace ScratchNet.Cli.Progress;

/// <summary>Chooses bars on an interactive terminal and plain lines otherwise.</summary>
public static class ProgressViews
{
    public static IProgressView For(TextWriter output, bool plain)
    {
        bool interactive = !plain && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            && AnsiConsole.Profile.Capabilities.Interactive && Environment.GetEnvironmentVariable("CI") is null;
        return interactive ? new SpectreProgressView(AnsiConsole.Console) : new PlainProgressView(output);
    }
}
