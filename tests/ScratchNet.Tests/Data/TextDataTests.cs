using System.Text;
using ScratchNet.Data;
using ScratchNet.Serialization;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Data;

public class TextDataTests
{
    private static DatasetManager Manager() => new(new DatasetManagerOptions { DataDir = TempFolder.RepoData, AllowDownload = false });

    private static ushort[] Ids(CharVocabulary v, string text) => Array.ConvertAll(v.Encode(text), i => (ushort)i);

    private static (float[] X, float[] Y) Sample(Dataset data, int index)
    {
        var x = new Tensor([1, .. data.SampleShape]);
        var y = new Tensor([1, .. data.TargetShape]);
        data.CopyBatch([index], x, y);
        return (x.Span.ToArray(), y.Span.ToArray());
    }

    [Fact]
    public void VocabularyNumbersTheCharactersInOrdinalOrder()
    {
        var v = CharVocabulary.FromText("hello, world");
        Assert.Equal([" ", ",", "d", "e", "h", "l", "o", "r", "w"], v.Characters);
        Assert.Equal(9, v.Count);
        Assert.Equal([4, 3, 5, 5, 6], v.Encode("hello"));
        Assert.Equal("world", v.Decode(v.Encode("world")));
    }

    [Fact]
    public void BoundaryTokenIsIdZeroAndDecodesToNothing()
    {
        var v = CharVocabulary.FromItems(["emma", "ava"]);
        Assert.True(v.HasBoundary);
        Assert.Equal(5, v.Count); // boundary, a, e, m, v
        Assert.Equal([2, 3, 3, 1], v.Encode("emma"));
        Assert.Equal("ava", v.Decode([0, 1, 4, 1, 0]));
        Assert.Equal(".", v.Display(0));
        Assert.Equal("a", v.Display(1));
    }

    [Fact]
    public void UnknownCharacterIsOneLineNamingItAndItsPosition()
    {
        var v = CharVocabulary.FromText("abc");
        var e = Assert.Throws<DataFormatException>(() => v.Encode("abZ", "the prompt"));
        Assert.Equal("the prompt: the character 'Z' (U+005A) at position 3 is not in the model's vocabulary of 3 characters (a b c)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var space = Assert.Throws<DataFormatException>(() => v.Encode("a b", "the prompt"));
        Assert.Contains("the character U+0020 at position 2", space.Message);
    }

    [Fact]
    public void VocabularyRoundTripsThroughJsonAndTheModelMetadata()
    {
        var v = CharVocabulary.FromText("To be, or not to be\n\u00e9\U0001F600");
        var back = CharVocabulary.FromJson(v.ToJson());
        Assert.Equal(v.Characters, back.Characters);
        Assert.False(back.HasBoundary);

        var meta = new ModelMetadata { InputShape = [8], Vocabulary = CharVocabulary.FromItems(["ab"]) };
        var read = ModelMetadata.FromDictionary(meta.ToDictionary(), "m.safetensors");
        Assert.NotNull(read.Vocabulary);
        Assert.True(read.Vocabulary!.HasBoundary);
        Assert.Equal(["a", "b"], read.Vocabulary.Characters);
    }

    [Theory]
    [InlineData("{\"characters\": [\"ab\"]}", "is not one character")]
    [InlineData("{\"characters\": [\"a\", \"a\"]}", "twice")]
    [InlineData("{\"characters\": [\"b\", \"a\"]}", "not in ordinal order")]
    [InlineData("{\"characters\": []}", "has 0 characters")]
    [InlineData("{\"characters\": [1]}", "not a string")]
    [InlineData("[]", "not an object")]
    [InlineData("{", "not valid JSON")]
    public void HostileVocabularyIsRefused(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => CharVocabulary.FromJson(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TooManyCharactersAreRefused()
    {
        string json = "{\"characters\": [" + string.Join(",", Enumerable.Range(0x4E00, Limits.MaxVocabulary + 1).Select(c => $"\"{(char)c}\"")) + "]}";
        Assert.Contains("characters (1 to", Assert.Throws<FormatException>(() => CharVocabulary.FromJson(json)).Message);
        Assert.Throws<ArgumentException>(() => CharVocabulary.FromText(new string(Enumerable.Range(0x4E00, Limits.MaxVocabulary + 1).Select(c => (char)c).ToArray())));
    }

    [Fact]
    public void EveryOffsetPredictsTheNextCharacterAtEachPosition()
    {
        var v = CharVocabulary.FromText("abcdefg");
        var data = TokenBlockDataset.EveryOffset("t", Ids(v, "abcdefg"), 3, v);
        Assert.Equal(4, data.Count);
        Assert.Equal([3], data.SampleShape);
        Assert.Equal([3], data.TargetShape);
        var (x, y) = Sample(data, 3);
        Assert.Equal([3f, 4f, 5f], x); // d e f
        Assert.Equal([4f, 5f, 6f], y); // e f g
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(7, 3)]
    [InlineData(2, 1)]
    [InlineData(33, 7)]
    [InlineData(10, 9)]
    public void CoveringBlocksPredictEveryTargetExactlyOnce(int length, int context)
    {
        string text = new(Enumerable.Range(0, length).Select(i => (char)('A' + i)).ToArray());
        var v = CharVocabulary.FromText(text);
        var data = TokenBlockDataset.Covering("t", Ids(v, text), context, v);
        var counted = new int[length];
        for (int s = 0; s < data.Count; s++)
        {
            var (x, y) = Sample(data, s);
            for (int t = 0; t < context; t++)
            {
                if (y[t] == Targets.Ignored) continue;
                counted[(int)y[t]]++;
                if (t > 0) Assert.Equal(x[t] + 1, y[t]);
            }
        }
        Assert.Equal(0, counted[0]);
        Assert.All(counted[1..], c => Assert.Equal(1, c));
    }

    [Fact]
    public void ItemsArePaddedAsMakemoreDoes()
    {
        var v = CharVocabulary.FromItems(["emma", "bo"]);
        var data = new TokenItemDataset("n", [Ids(v, "emma"), Ids(v, "bo")], 5, v);
        var (x, y) = Sample(data, 1);
        int b = v.Encode("b")[0], o = v.Encode("o")[0];
        Assert.Equal([0f, b, o, 0f, 0f], x);
        Assert.Equal([b, o, 0f, -1f, -1f], y);
        var (x0, y0) = Sample(data, 0);
        Assert.Equal(v.Encode("emma").Select(i => (float)i).Prepend(0f), x0);
        Assert.Equal(v.Encode("emma").Select(i => (float)i).Append(0f), y0);
    }

    [Fact]
    public void NamesLoadAsMakemoreSplitsThem()
    {
        var data = Manager().Load("names", new DatasetLoadOptions { Seed = 42 });
        Assert.Equal(27, data.Vocabulary!.Count);
        Assert.Equal(1000, data.Test.Count);
        Assert.Equal(32_033 - 1000, data.Train.Count);
        Assert.Equal([16], data.Train.SampleShape); // the longest name has 15 letters
        Assert.Equal(27, data.Train.ClassCount);
        var again = Manager().Load("names", new DatasetLoadOptions { Seed = 42 });
        Assert.Equal(((TokenItemDataset)data.Test).Items, ((TokenItemDataset)again.Test).Items);
        var other = Manager().Load("names", new DatasetLoadOptions { Seed = 43 });
        Assert.NotEqual(((TokenItemDataset)data.Test).Items, ((TokenItemDataset)other.Test).Items);
        var all = ((TokenItemDataset)data.Train).Items.Concat(((TokenItemDataset)data.Test).Items).Order(StringComparer.Ordinal);
        Assert.Equal(Manager().ReadText("names").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Order(StringComparer.Ordinal), all);
    }

    [Fact]
    public void TinyShakespeareSplitsNinetyTenAsNanoGptDoes()
    {
        var data = Manager().Load("tiny-shakespeare", new DatasetLoadOptions { ContextLength = 64 });
        Assert.Equal(65, data.Vocabulary!.Count);
        var train = (TokenBlockDataset)data.Train;
        var validation = (TokenBlockDataset)data.Test;
        Assert.Equal(1_003_854, train.TokenCount); // int(1,115,394 * 0.9)
        Assert.Equal(1_003_854 - 64, train.Count);
        Assert.Equal(1_115_394 - 1_003_854, validation.TokenCount);
        Assert.Equal((validation.TokenCount - 1 + 63) / 64, validation.Count);
        var (x, _) = Sample(train, 0);
        Assert.Equal("First Citizen:", data.Vocabulary.Decode(x.Take(14).Select(f => (int)f).ToArray()));
    }

    [Fact]
    public void TextFilesLoadAndBadOnesGiveOneLine()
    {
        using var dir = new TempFolder();
        string story = dir.File("story.txt");
        File.WriteAllText(story, string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 20)));
        var data = Manager().Load(story, new DatasetLoadOptions { ContextLength = 8 });
        Assert.Equal(DatasetKind.TextFile, Manager().Info(story).Kind);
        Assert.Equal([8], data.Train.SampleShape);

        string lines = dir.File("pets.txt");
        File.WriteAllText(lines, "rex\r\n\nfelix\nbo\n");
        var items = Manager().Load(lines, new DatasetLoadOptions { TextLayout = TextLayout.Lines });
        Assert.Equal([6], items.Train.SampleShape);

        string empty = dir.File("empty.txt");
        File.WriteAllText(empty, "");
        Assert.Equal($"{empty}: the text is empty", Assert.Throws<DataFormatException>(() => Manager().Load(empty)).Message);

        string blank = dir.File("blank.txt");
        File.WriteAllText(blank, "\n \n");
        Assert.Contains("no items: every line is empty", Assert.Throws<DataFormatException>(() => Manager().Load(blank, new DatasetLoadOptions { TextLayout = TextLayout.Lines })).Message);

        string binary = dir.File("binary.txt");
        File.WriteAllBytes(binary, [0x61, 0xFF, 0xFE, 0x62]);
        Assert.Contains("not UTF-8 text", Assert.Throws<DataFormatException>(() => Manager().Load(binary)).Message);

        string tiny = dir.File("tiny.txt");
        File.WriteAllText(tiny, "abcdefghij");
        Assert.Contains("too few for a context of 64", Assert.Throws<DataFormatException>(() => Manager().Load(tiny)).Message);

        Assert.Contains("text file not found", Assert.Throws<DataFormatException>(() => Manager().Load(dir.File("missing.txt"))).Message);
        Assert.Contains("cannot hold it", Assert.Throws<DataFormatException>(() => Manager().Load(lines, new DatasetLoadOptions { TextLayout = TextLayout.Lines, ContextLength = 3 })).Message);
    }

    [Fact]
    public void TakeGivesSequenceTargetsTheirOwnShape()
    {
        var v = CharVocabulary.FromText("abcdefg");
        var data = TokenBlockDataset.EveryOffset("t", Ids(v, "abcdefg"), 3, v);
        var (x, y) = data.Take(2);
        Assert.Equal([2, 3], x.ShapeArray());
        Assert.Equal([2, 3], y.ShapeArray());
        Assert.Equal(Encoding.ASCII.GetBytes("bc").Select(c => (float)(c - 'a')).ToArray(), y.Span[..2].ToArray());
    }
}
