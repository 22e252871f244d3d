using System.Diagnostics;
using ScratchNet.Lessons;

// dotnet run --project lessons -- list | N | all   [--out FOLDER]
try
{
    string outFolder = "";
    var rest = new List<string>();
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] == "--out" && i + 1 < args.Length) outFolder = args[++i];
        else rest.Add(args[i]);
    }
    string command = rest.Count > 0 ? rest[0] : "list";
    if (command == "list")
    {
        foreach (var lesson in LessonCatalog.All)
            Console.WriteLine($"{lesson.Number,2}. {lesson.Title}: {lesson.Teaches}");
        Console.WriteLine("Run one with: dotnet run -c Release --project lessons -- <number>");
        return 0;
    }
    if (outFolder.Length == 0) outFolder = Path.Combine("out", "lessons");
    var ctx = new LessonContext(outFolder, Console.Out);
    IEnumerable<int> numbers = command == "all" ? LessonCatalog.All.Select(l => l.Number)
        : int.TryParse(command, out int n) ? [n]
        : throw new ArgumentException($"Unknown lesson '{command}': give a number 1-{LessonCatalog.All.Count}, 'all' or 'list'.");
    foreach (int number in numbers)
    {
        var lesson = LessonCatalog.Get(number);
        Console.WriteLine($"=== Lesson {lesson.Number}: {lesson.Title} ===");
        var watch = Stopwatch.StartNew();
        lesson.Runner(ctx);
        Console.WriteLine($"--- lesson {lesson.Number} took {watch.Elapsed.TotalSeconds:F1} s; pictures: {string.Join(", ", lesson.Pictures.Select(p => Path.Combine(outFolder, p)))}");
    }
    return 0;
}
catch (Exception e) when (e is ScratchNet.Data.DataFormatException or ArgumentException or IOException or FormatException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
{
    // One line, no stack trace; argument exceptions append "(Parameter 'x')", which a reader does not need.
    string message = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message;
    Console.Error.WriteLine($"error: {message}");
    return 1;
}
