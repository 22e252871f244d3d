using ScratchNet.Data;

namespace ScratchNet.Lessons;

/// <summary>
/// What a lesson needs from the outside world: where to read data, where to write pictures, and
/// where to print what happens.
/// </summary>
public sealed class LessonContext
{
    /// <summary>
    /// A context writing pictures to <paramref name="outputFolder"/> and text to <paramref name="output"/>,
    /// finding datasets with <paramref name="datasets"/> (null: the default search, which finds what the
    /// library and the installed tool carry, so the lessons run in any folder).
    /// </summary>
    public LessonContext(string outputFolder, TextWriter output, DatasetManager? datasets = null)
    {
        OutputFolder = outputFolder;
        Out = output;
        Datasets = datasets ?? new DatasetManager();
    }

    /// <summary>The folder pictures are written to (created on first use).</summary>
    public string OutputFolder { get; }

    /// <summary>Where the lesson prints what happens as it goes.</summary>
    public TextWriter Out { get; }

    /// <summary>Finds the datasets' files (the one search order: docs/DATA.md).</summary>
    public DatasetManager Datasets { get; }

    /// <summary>Whether lessons write their pictures (tests may turn it off).</summary>
    public bool DrawPictures { get; init; } = true;

    /// <summary>The full path of a picture file in <see cref="OutputFolder"/>, creating the folder.</summary>
    public string PicturePath(string fileName)
    {
        Directory.CreateDirectory(OutputFolder);
        return Path.Combine(OutputFolder, fileName);
    }

    /// <summary>
    /// The path of <paramref name="dataset"/>'s file <paramref name="fileName"/> (as the catalog names it,
    /// without ".gz"; the path found may end in ".gz").
    /// </summary>
    /// <exception cref="DataFormatException">The dataset's files are not found; the message says where to put them.</exception>
    public string DataFile(string dataset, string fileName)
    {
        var info = Datasets.Info(dataset);
        int index = info.Files.Select(f => f.FileName).ToList().IndexOf(fileName);
        if (index < 0) throw new ArgumentException($"{dataset} has no file {fileName}", nameof(fileName));
        return Datasets.Files(dataset)[index];
    }
}
