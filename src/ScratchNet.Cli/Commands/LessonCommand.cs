using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Lessons;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet lesson list|run N`: the numbered lessons, from one neuron to convolutions.</summary>
public static class LessonCommand
{
    public static Command Create()
    {
        var command = new Command("lesson", "The lessons: list them, or run one (it prints what it teaches and draws its pictures).");
        var list = new Command("list", "The lessons with what each teaches.");
        list.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            foreach (var l in LessonCatalog.All) output.WriteLine($"{l.Number,2}. {l.Title}: {l.Teaches}");
            output.WriteLine("Run one with: scratchnet lesson run N [--out DIR]");
            return ExitCodes.Success;
        });
        var number = new Argument<int>("number") { Description = $"The lesson number (1-{LessonCatalog.All.Count})." };
        var outDir = Opt.Text("--out", "Folder for the lesson's pictures (default lessons-out/N).", "dir");
        var noPictures = Opt.Flag("--no-pictures", "Do not draw pictures.");
        var run = new Command("run", "Run lesson N.") { number, outDir, noPictures };
        run.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            int n = parse.GetValue(number);
            if (!LessonCatalog.All.Any(l => l.Number == n))
                throw new CliError($"unknown lesson {n}; give a number from 1 to {LessonCatalog.All.Count} ('scratchnet lesson list' shows them)");
            var lesson = LessonCatalog.Get(n);
            string dir = parse.GetValue(outDir) ?? Path.Combine("lessons-out", n.ToString(CultureInfo.InvariantCulture));
            var ctx = new LessonContext(dir, output) { DrawPictures = !parse.GetValue(noPictures) };
            output.WriteLine($"=== Lesson {lesson.Number}: {lesson.Title} ===");
            var clock = Stopwatch.StartNew();
            lesson.Runner(ctx);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"--- lesson {lesson.Number} took {clock.Elapsed.TotalSeconds:F1} s"));
            if (!parse.GetValue(noPictures) && lesson.Pictures.Count > 0)
                output.WriteLine($"pictures: {string.Join(", ", lesson.Pictures.Select(p => Path.Combine(dir, p)))}");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(run);
        return command;
    }
}
