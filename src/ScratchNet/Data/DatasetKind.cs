namespace ScratchNet.Data;

/// <summary>Where a dataset's samples come from.</summary>
public enum DatasetKind
{
    /// <summary>IDX image files (MNIST, Fashion-MNIST).</summary>
    Images,
    /// <summary>A CSV table shipped in data/.</summary>
    Table,
    /// <summary>2-D points generated from a seed.</summary>
    Synthetic,
    /// <summary>A CSV file the user names.</summary>
    CsvFile,
    /// <summary>A text corpus shipped in data/text/: a language model's samples (<see cref="TextLayout"/>), or the whole text with <see cref="DatasetManager.ReadText"/>.</summary>
    Text,
    /// <summary>A UTF-8 text file the user names (a path ending in .txt): a language model's samples.</summary>
    TextFile,
}
