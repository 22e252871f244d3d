using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Training;

/// <summary>The library's presets as the command line names them.</summary>
public static class CliPresets
{
    /// <summary>The preset named <paramref name="name"/>, or a one-line usage error listing them.</summary>
    /// <exception cref="CliError">No such preset.</exception>
    public static Recipe Get(string name, string command = "train") =>
        PresetCatalog.Find(name)
        ?? throw new CliError($"unknown preset '{name}'; known presets: {string.Join(", ", PresetCatalog.Names)}. See 'scratchnet {command} --help' for usage.");
}
