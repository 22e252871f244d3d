using System.CommandLine;

namespace ScratchNet.Cli.Commands;

/// <summary>Every subcommand of scratchnet, in the order --help lists them.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> Create()
    {
        yield return TrainCommand.Create();
        yield return EvaluateCommand.Create();
        yield return PredictCommand.Create();
        yield return GenerateCommand.Create();
        yield return InspectCommand.Create();
        yield return ExportCommand.Create();
        yield return GradCheckCommand.Create();
        yield return DatasetsCommand.Create();
        yield return LessonCommand.Create();
        yield return PlaygroundCommand.Create();
        yield return BenchCommand.Create();
    }
}
