using Spectre.Console;

namespace ScratchNet.Cli.Progress;

/// <summary>Chooses bars on an interactive terminal and plain lines otherwise.</summary>
public static class ProgressViews
{
    /// <summary>Whether epoch <paramref name="epoch"/> gets its own line: all of them up to 50 epochs, else about 50 (and the first and last).</summary>
    public static bool ShowsEpoch(int epoch, int epochs) =>
        epoch <= 1 || epoch >= epochs || epoch % Math.Max(1, (epochs + 49) / 50) == 0;

    public static IProgressView For(TextWriter output, bool plain)
    {
        bool interactive = !plain && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            && AnsiConsole.Profile.Capabilities.Interactive && Environment.GetEnvironmentVariable("CI") is null;
        return interactive ? new SpectreProgressView(AnsiConsole.Console) : new PlainProgressView(output);
    }
}
