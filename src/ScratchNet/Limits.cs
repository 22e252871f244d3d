namespace ScratchNet;

/// <summary>
/// The caps that bound what a file or a size given by a user can make ScratchNet allocate or compute,
/// in one place (docs/DATA.md and docs/CLI.md, "Limits"). A reader checks what a file claims against
/// these, or against the file's own size, before it allocates; a claim beyond them is refused with a
/// one-line error that names the file and the cap.
/// </summary>
/// <remarks>
/// The caps are far above what the shipped datasets and presets use (MNIST's largest file inflates to
/// 47 MB; mnist-cnn has 0.1 M parameters and 0.2 M activations per sample), so that only a hostile or
/// mistaken input meets them.
/// </remarks>
public static class Limits
{
    /// <summary>
    /// The most bytes a compressed file (gzip, zlib) may inflate to, and the largest IDX file: 1 GiB.
    /// Decompression stops, with an error, as soon as the stream gives more.
    /// </summary>
    public const long MaxDecompressedBytes = 1L << 30;

    /// <summary>The largest download (a compressed dataset file): 1 GiB.</summary>
    public const long MaxDownloadBytes = 1L << 30;

    /// <summary>
    /// The most parameters and buffers (float32 values) a model may have: 2^28 = 268,435,456 (1 GiB).
    /// <c>Sequential.Build</c> refuses a bigger model before allocating it.
    /// </summary>
    public const long MaxParameters = 1L << 28;

    /// <summary>
    /// The most values a model read from a file may produce per sample, summed over its input and every
    /// layer's output: 2^22 = 4,194,304 (16 MiB per sample). Each layer keeps its output for a batch, so
    /// this bounds the memory of a forward pass per sample.
    /// </summary>
    public const long MaxActivationsPerSample = 1L << 22;

    /// <summary>
    /// The most multiply-adds one sample's forward pass through a model read from a file may take:
    /// 2^30 (about a second on one core), so that a small file cannot describe an endless computation.
    /// </summary>
    public const long MaxMultiplyAddsPerSample = 1L << 30;

    /// <summary>The most layers a model file's architecture may list: 1,024.</summary>
    public const int MaxLayers = 1024;

    /// <summary>
    /// The most nodes (inputs included) a graph model may have, and the most inputs one node may read:
    /// 1,024. A model file's graph is checked against it before any node is made.
    /// </summary>
    public const int MaxGraphNodes = 1024;

    /// <summary>The highest rank of a model's per-sample input shape: 8.</summary>
    public const int MaxInputRank = 8;

    /// <summary>
    /// The most activation values one inference batch may hold (evaluate, predict): 2^27 (512 MiB); the
    /// batch is made smaller for a model whose activations per sample are large.
    /// </summary>
    public const long MaxBatchActivations = 1L << 27;

    /// <summary>The widest hidden layer of an MLP recipe (<c>--layers</c>, or a checkpoint's saved recipe): 65,536 units.</summary>
    public const int MaxLayerWidth = 65_536;

    /// <summary>The most hidden layers of an MLP recipe (<c>--layers</c>, or a checkpoint's saved recipe): 256.</summary>
    public const int MaxHiddenLayers = 256;

    /// <summary>The largest batch (<c>--batch-size</c>): 65,536 samples.</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>The most epochs of one run (<c>--epochs</c>, or a checkpoint's saved recipe: it bounds the time a file can claim): 1,000,000.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>The most folds of a cross-validation (<c>--folds</c>): 1,000, each a whole training run that keeps its test scores.</summary>
    public const int MaxFolds = 1_000;

    /// <summary>The most steps of one epoch counted in steps (<c>--steps-per-epoch</c>, a recipe's <c>StepsPerEpoch</c>): 1,000,000.</summary>
    public const int MaxStepsPerEpoch = 1_000_000;

    /// <summary>The most samples one epoch counted in steps may draw (steps × batch): 2^28, whose indices take 1 GiB.</summary>
    public const long MaxEpochRows = 1L << 28;

    /// <summary>The most samples a synthetic set may generate for each split, training or test (<c>--samples</c>): 10,000,000.</summary>
    public const int MaxGeneratedSamples = 10_000_000;

    /// <summary>The most images one call of an image generator draws (<c>scratchnet generate --count</c>, <c>bench gan-quality --count</c>): 10,000, 31 MB of 28 × 28 float32 images.</summary>
    public const int MaxGeneratedImages = 10_000;

    /// <summary>The most classes a target column may have: 65,536 distinct labels.</summary>
    public const int MaxClasses = 65_536;

    /// <summary>
    /// The longest name a table may give: a column name or a class label, 1,000 characters. Names go
    /// into model files, metrics and reports, copied many times.
    /// </summary>
    public const int MaxNameChars = 1_000;

    /// <summary>
    /// The most categories a text feature column may have: 1,024 distinct values. Each becomes an input
    /// of the model (one-hot) and a name in the model file; a column of ids or free text is refused.
    /// </summary>
    public const int MaxCategoriesPerColumn = 1_024;

    /// <summary>The most categories of all text feature columns of a table together: 65,536 (the model's one-hot inputs).</summary>
    public const int MaxCategories = 65_536;

    /// <summary>The longest CSV record (a line, or several when a quoted field holds line breaks): 16,777,216 characters.</summary>
    public const int MaxCsvRecordChars = 1 << 24;

    /// <summary>The most columns a CSV file may have: 1,048,576.</summary>
    public const int MaxCsvColumns = 1 << 20;

    /// <summary>The most feature values a table may hold (rows x features): 2^28 = 268,435,456 (1 GiB of float32).</summary>
    public const long MaxTableValues = 1L << 28;

    /// <summary>
    /// The most distinct characters a text's vocabulary may have: 4,096. Each is a class of the language
    /// model's output and an entry of its embedding; a binary file read as text is refused.
    /// </summary>
    public const int MaxVocabulary = 4_096;

    /// <summary>The largest text file a language model reads (<c>--dataset story.txt</c>): 256 MiB.</summary>
    public const long MaxTextFileBytes = 256L << 20;

    /// <summary>
    /// The longest context of a language model (tokens per sample), and the longest line of a text read
    /// one item per line (names.txt): 65,536 characters.
    /// </summary>
    public const int MaxContextLength = 65_536;

    /// <summary>The largest image <c>predict</c> reads (PNG, PGM): 16,000,000 pixels.</summary>
    public const int MaxImagePixels = 16_000_000;

    /// <summary>The largest image file <c>predict</c> reads: 128 MiB.</summary>
    public const long MaxImageFileBytes = 128L << 20;

    /// <summary>
    /// The most bytes the three float32 matrices of one <c>bench gemm --shape MxKxN</c> product may take,
    /// 4·(m·k + k·n + m·n): 1 GiB. The benchmark allocates A, B and C whole before timing; 1 GiB holds
    /// three 8192 x 8192 matrices (768 MiB), far beyond any product of the presets, while a typing
    /// slip of a few digits ("40960000x784x256") is refused instead of exhausting memory.
    /// </summary>
    public const long MaxGemmBenchmarkBytes = 1L << 30;

    /// <summary>
    /// The most timed repetitions of one benchmark (<c>bench gemm --repetitions</c>): 10,000. Each
    /// repetition keeps its timing for the median.
    /// </summary>
    public const int MaxBenchmarkRepetitions = 10_000;

    /// <summary>The largest array of <c>bench memory --mib</c>: 2,048 MiB (twice the GEMM benchmark's operands, for a stream well beyond any L3).</summary>
    public const int MaxMemoryBenchmarkMiB = 2048;

    /// <summary>The most values in a GAN's code z (its latent size): 65,536.</summary>
    public const int MaxLatentSize = 65_536;
}
