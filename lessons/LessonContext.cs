namespace ScratchNet.Lessons;

/// <summary>
/// What a lesson needs from the outside world: where to read data, where to write pictures, and
/// where to print what happens.
/// </summary>
public sealed class LessonContext
{
    /// <summary>A context writing pictures to <paramref name="outputFolder"/> and text to <paramref name="output"/>.</summary>
    public LessonContext(string outputFolder, TextWriter output, string dataFolder)
    {
        OutputFolder = outputFolder;
        Out = output;
        DataFolder = dataFolder;
    }

    /// <summary>The folder pictures are written to (created on first use).</summary>
    public string OutputFolder { get; }

    /// <summary>Where the lesson prints what happens as it goes.</summary>
    public TextWriter Out { get; }

    /// <summary>The repository's data folder (holds tvmarketing.csv and mnist/).</summary>
    public string DataFolder { get; }

    /// <summary>Whether lessons write their pictures (tests may turn it off).</summary>
    public bool DrawPictures { get; init; } = true;

    /// <summary>The full path of a picture file in <see cref="OutputFolder"/>, creating the folder.</summary>
    public string PicturePath(string fileName)
    {
        Directory.CreateDirectory(OutputFolder);
        return Path.Combine(OutputFolder, fileName);
    }

    /// <summary>
    /// The repository's data folder: the first folder named "data" holding tvmarketing.csv, looking
    /// upwards from <paramref name="start"/> (default: the current directory, then the program's folder).
    /// </summary>
    public static string FindDataFolder(string? start = null)
    {
        foreach (string origin in start is null ? [Directory.GetCurrentDirectory(), AppContext.BaseDirectory] : new[] { start })
        {
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data");
                if (File.Exists(Path.Combine(candidate, "tvmarketing.csv"))) return candidate;
            }
        }
        throw new DirectoryNotFoundException("Cannot find the data folder (data/tvmarketing.csv) above the current directory; run from inside the ScratchNet repository.");
    }
}
