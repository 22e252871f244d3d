using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Issue 17, second and third classes: malformed input must never end in an internal error (exit 70),
/// and its message must name the file and say what is wrong in one line (not a parser's own words such
/// as "Specified argument was out of the range of valid values"), quoting text from the file only as a
/// short escaped excerpt. Exit 2.
/// </summary>
public class MalformedInputTests
{
    private const long FourMiB = 4L << 20;

    /// <summary>A model of 784 inputs for predict's image path.</summary>
    private static string ImageModel(TempFolder dir, IReadOnlyDictionary<string, string>? extra = null)
    {
        string path = dir.File("digits.safetensors");
        var meta = new ModelMetadata { Dataset = "mnist", Task = "classification", ClassNames = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray() };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) meta.Extra[k] = v;
        ModelFile.Save(path, new Sequential(new Dense(10)).Build([784], 1), meta);
        return path;
    }

    public static TheoryData<string, byte[], string> Images => new()
    {
        { "PGM width overflowing an int", Encoding.ASCII.GetBytes("P5\n99999999999 1\n255\n\0"), "PGM width at byte 3 is too large (over 2,147,483,647)" },
        { "PGM pixel overflowing an int", Encoding.ASCII.GetBytes("P2\n2 1\n255\n1 99999999999\n"), "PGM pixel value at byte 13 is too large (over 2,147,483,647)" },
        { "PGM cut in its header", Encoding.ASCII.GetBytes("P5\n28"), "PGM ends at byte 5 where its height should be (truncated)" },
        { "PGM with maximum 0", Encoding.ASCII.GetBytes("P5\n2 2\n0\n\0\0\0\0"), "PGM maximum value 0 is out of range (1 to 65535)" },
        { "PGM of too many pixels", Encoding.ASCII.GetBytes("P5\n100000 100000\n255\n"), "PGM header gives 100000 x 100000 pixels: not a usable image (at most 16,000,000 pixels)" },
        { "PGM with text for a number", Encoding.ASCII.GetBytes("P2\n2 x\n255\n"), "PGM expects a number (height) at byte 5, not 0x78" },
        { "PNG with a short IHDR", Png(("IHDR", [0, 0, 0, 1]), ("IEND", [])), "PNG IHDR chunk has 4 bytes (it must have 13; corrupt)" },
        { "PNG without IHDR", Png(("IEND", [])), "PNG starts with chunk IEND, not IHDR (corrupt)" },
        { "PNG of 100000 x 100000", Png(("IHDR", Ihdr(100_000, 100_000, 8, 0)), ("IEND", [])), "PNG header gives 100000 x 100000 pixels: not a usable image (at most 16,000,000 pixels)" },
        { "PNG with a negative-looking width", Png(("IHDR", Ihdr(-1, 28, 8, 0)), ("IEND", [])), "PNG header gives -1 x 28 pixels: not a usable image" },
        { "PNG whose sides multiply past 64 bits", Png(("IHDR", Ihdr(-1, -228, 8, 0)), ("IEND", [])), "PNG header gives -1 x -228 pixels: not a usable image" },
        { "PNG of 16 bits without image data", Png(("IHDR", Ihdr(28, 28, 16, 0)), ("IEND", [])), "PNG image data inflates to 0 bytes, its header needs 1,596 (truncated or corrupt)" },
        { "PNG with corrupt zlib data", Png(("IHDR", Ihdr(28, 28, 8, 0)), ("IDAT", [0x78, 0x9c, 0xff, 0xff, 0xff, 0xff]), ("IEND", [])), "PNG image data is corrupt (zlib: " },
        { "PNG with too little data", Png(("IHDR", Ihdr(28, 28, 8, 0)), ("IDAT", Zlib(new byte[100])), ("IEND", [])), "PNG image data inflates to 100 bytes, its header needs 812 (truncated or corrupt)" },
        { "PNG with a chunk length past the end", [.. Png(("IHDR", Ihdr(28, 28, 8, 0))), 0x7f, 0xff, 0xff, 0xff, (byte)'I', (byte)'D', (byte)'A', (byte)'T'], "PNG chunk IDAT at byte 33 of 2,147,483,647 bytes runs past the end of the file (41 bytes; truncated or corrupt)" },
        { "PNG with an unprintable chunk type", [.. Png(("IHDR", Ihdr(28, 28, 8, 0))), 0, 0, 0, 100, 0x0a, 0x00, 0x01, 0xff], "PNG chunk 0x0A0001FF at byte 33 of 100 bytes runs past the end of the file" },
        { "PNG without IEND", Png(("IHDR", Ihdr(28, 28, 8, 0))), "PNG ends at byte 33 before its IEND chunk (truncated)" },
        { "PNG with a bad filter", Png(("IHDR", Ihdr(1, 1, 8, 0)), ("IDAT", Zlib([9, 0])), ("IEND", [])), "the PNG file's data is corrupt, truncated or unsupported (Unknown filter type.)" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void MalformedImagesAreInputErrors(string what, byte[] content, string expected)
    {
        using var dir = new TempFolder();
        string model = ImageModel(dir);
        string path = dir.File(what.StartsWith("PNG", StringComparison.Ordinal) ? "input.png" : "input.pgm");
        File.WriteAllBytes(path, content);
        Refusal.Cli(2, $"{path}: {expected}", 16L << 20, "predict", "--model", model, "--input", path);
        Refusal.OnlyFiles(dir, "digits.safetensors", Path.GetFileName(path));
    }

    public static TheoryData<string, string, string> ModelMetadata => new()
    {
        { "input_shape of a fraction", "architecture", """{"input_shape":[1.5],"layers":[]}""" },
        { "input_shape of text", "architecture", """{"input_shape":["784"],"layers":[]}""" },
        { "layers not an array", "architecture", """{"input_shape":[784],"layers":{}}""" },
        { "a layer type that is a number", "architecture", """{"input_shape":[784],"layers":[{"type":3}]}""" },
        { "a setting that is not an integer", "architecture", """{"input_shape":[784],"layers":[{"type":"Dense","settings":{"units":"x"}}]}""" },
        { "a preprocessing shift of 1e999", "preprocessing", """{"mode":"zscore","shift":[1e999],"scale":[1]}""" },
        { "a preprocessing of the wrong width", "preprocessing", """{"mode":"zscore","shift":[0,0],"scale":[1,1]}""" },
        { "a task that is neither", "task", "banana" },
        { "a format version from elsewhere", "format_version", "x" },
        { "class names that are not a list", "class_names", "x" },
    };

    /// <summary>Malformed metadata is one line that names the file, never a parser's own message ("The input string 'x' was not in a correct format.") or an internal error.</summary>
    [Theory]
    [MemberData(nameof(ModelMetadata))]
    public void MalformedMetadataNamesTheFile(string what, string key, string value)
    {
        using var dir = new TempFolder();
        string path = dir.File("model.safetensors");
        ModelFile.Save(path, new Sequential(new Dense(10)).Build([784], 1), new ScratchNet.Serialization.ModelMetadata
        {
            Dataset = "mnist", Task = "classification", Standardizer = new Standardizer(StandardizeMode.ZScore, new float[784], Enumerable.Repeat(1f, 784).ToArray()),
        });
        var content = SafeTensorsFile.Read(path);
        SafeTensorsFile.Write(path, content.Tensors, new Dictionary<string, string>(content.Metadata) { [key] = value });
        var outcome = Refusal.Cli(2, $"scratchnet: {path}: ", 16L << 20, "inspect", path);
        Assert.True(outcome.Line.Length < 400, $"{what}: {outcome.Line}");
        Assert.Throws<ModelFileException>(() => ScratchNet.Serialization.ModelFile.Load(path));
    }

    /// <summary>One data row and a test fraction that holds it out leave nothing to train on, nor to fit a standardizer on.</summary>
    [Fact]
    public void ATestFractionThatLeavesNoTrainingRowIsAnInputError()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.csv");
        File.WriteAllText(path, "a,y\n1,2\n");
        Refusal.Library<DataFormatException>($"{path}: the file has 1 data row: a test fraction of 0.5 leaves none for training", FourMiB,
            () => new DatasetManager().Load(path, new DatasetLoadOptions { TestFraction = 0.5, Standardize = StandardizeMode.ZScore }));
    }

    [Fact]
    public void AHeaderThatIsNotUtf8IsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("model.safetensors");
        var json = Encoding.UTF8.GetBytes("""{"__metadata__":{"architecture":"x","name":"ab"}}   """);
        json[^6] = 0xff; // inside the string "ab": valid JSON, invalid UTF-8
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json]);
        Refusal.Cli(2, $"{path}: the header is not valid UTF-8 text", FourMiB, "inspect", path);
    }

    /// <summary>
    /// A CSV cell of 10 MB is quoted as a 40-character excerpt, not whole.
    /// Reading it costs its record: 2 bytes a character, in a buffer that doubles as it grows (at most 8 bytes a character allocated in all).
    /// </summary>
    [Fact]
    public void AHugeCellIsQuotedAsAShortExcerpt()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.csv");
        File.WriteAllText(path, "a,b,y\n1,2,3\n4," + new string('z', 10_000_000) + ",6\n");
        var e = Refusal.Library<DataFormatException>($"{path}: line 3, column 2 ('b'): 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz... (10,000,000 characters)' is not a number, but the column starts with numbers ('2' on line 2): a feature column holds numbers or text categories, not both",
            8 * new FileInfo(path).Length, () => new DatasetManager().Load(path));
        Assert.True(e.Message.Length < 300);
    }

    [Fact]
    public void ControlCharactersInACellAreEscaped()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.csv");
        File.WriteAllText(path, "a,y\n\"x\ny\u0001\",1\n2,3\n");
        Refusal.Library<DataFormatException>("line 4, column 1 ('a'): '2' is a number, but the column starts with text ('x\\ny\\u0001' on line 2): a feature column holds numbers or text categories, not both", FourMiB, () => new DatasetManager().Load(path));
    }

    /// <summary>A missing column among a thousand lists the first twenty and the count, not a thousand names.</summary>
    [Fact]
    public void AMissingColumnListsAFewColumns()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.csv");
        File.WriteAllText(path, string.Join(",", Enumerable.Range(0, 1000).Select(i => $"c{i}")) + "\n" + string.Join(",", Enumerable.Repeat("1", 1000)) + "\n");
        var e = Refusal.Library<DataFormatException>("no column named 'price'; the columns are: 'c0', 'c1', ", FourMiB,
            () => new DatasetManager().Load(path, new DatasetLoadOptions { Target = "price" }));
        Assert.EndsWith("'c19', ... (1,000 columns)", e.Message);
    }

    [Fact]
    public void AHugeTensorNameIsCut()
    {
        using var dir = new TempFolder();
        string path = dir.File("model.safetensors");
        string name = new('w', 1_000_000);
        SafeTensorsFile.Write(path, [new SafeTensor(name, "F32", [1], new byte[4])], new Dictionary<string, string> { ["architecture"] = """{"input_shape":[1],"layers":[]}""" });
        var e = Refusal.Library<ModelFileException>("unexpected tensor 'wwwwwwwwww", FourMiB + 16L * name.Length, () => ScratchNet.Serialization.ModelFile.Load(path));
        Assert.True(e.Message.Length < 300, e.Message);
    }

    /// <summary>Metadata that evaluate and predict use is checked when they use it: a bad value is an input error, not a silent default.</summary>
    [Theory]
    [InlineData("binary_threshold", "NaN", "predict", "binary_threshold 'NaN' is not a finite number")]
    [InlineData("binary_threshold", "NaN", "evaluate", "binary_threshold 'NaN' is not a finite number")]
    [InlineData("seed", "-3", "evaluate", "seed '-3' is not a whole number >= 0")]
    [InlineData("loss", "NoSuchLoss", "evaluate", "Unknown loss 'NoSuchLoss'")]
    public void MetadataThatEvaluateAndPredictUseIsChecked(string key, string value, string command, string expected)
    {
        using var dir = new TempFolder();
        string model = dir.File("moons.safetensors");
        ScratchNet.Serialization.ModelFile.Save(model, new Sequential(new Dense(1)).Build([2], 1), new ScratchNet.Serialization.ModelMetadata
        {
            Dataset = "moons", Task = "classification", ClassNames = ["0", "1"], FeatureNames = ["x", "y"], Extra = { [key] = value },
        });
        string csv = dir.File("points.csv");
        File.WriteAllText(csv, "x,y\n0.1,0.2\n");
        string[] args = command == "predict" ? ["predict", "--model", model, "--input", csv] : ["evaluate", "--model", model];
        Refusal.Cli(2, $"{model}: {expected}", 16L << 20, args);
    }

    private static byte[] Ihdr(int width, int height, byte bitDepth, byte colorType)
    {
        var d = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(d, width);
        BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(4), height);
        d[8] = bitDepth;
        d[9] = colorType;
        return d;
    }

    private static byte[] Zlib(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    /// <summary>A PNG of the chunks given, each with its CRC.</summary>
    private static byte[] Png(params (string Type, byte[] Data)[] chunks)
    {
        var bytes = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        foreach (var (type, data) in chunks)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            bytes.AddRange(length);
            bytes.AddRange(Encoding.Latin1.GetBytes(type));
            bytes.AddRange(data);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, ScratchNet.Plotting.Crc32.Append(ScratchNet.Plotting.Crc32.Compute(Encoding.Latin1.GetBytes(type)), data));
            bytes.AddRange(crc);
        }
        return [.. bytes];
    }
}
