using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Training;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Models;

public class TextGeneratorTests
{
    /// <summary>Next-token logits that depend only on the current token: a fixed bigram table, (batch, T) → (batch, T, V).</summary>
    private sealed class BigramTable(float[,] logits) : Layer
    {
        private Tensor? _output;
        public int Calls;
        public override int[] OutputShape(int[] inputShape) => [inputShape[0], logits.GetLength(1)];
        public override Tensor Forward(Tensor input, bool training)
        {
            Calls++;
            int b = input.Dim(0), t = input.Dim(1), v = logits.GetLength(1);
            _output = new Tensor(b, t, v);
            for (int i = 0; i < b * t; i++)
                for (int j = 0; j < v; j++) _output[i * v + j] = logits[(int)input[i], j];
            return _output;
        }
        public override Tensor Backward(Tensor gradOutput) => throw new NotSupportedException();
        public override LayerSpec Spec => new("BigramTable", new Dictionary<string, string>());
    }

    // Tokens: 0 = boundary, 1 = a, 2 = b, 3 = c. After the boundary "a" is most likely; after "a" "b";
    // after "b" the boundary; "c" is never likely.
    private static readonly float[,] Table =
    {
        { -5, 3, 0, -2 },
        { -1, -3, 4, 0 },
        { 5, 0, -1, 0 },
        { 0, 0, 0, 0 },
    };

    private static (TextGenerator Generator, BigramTable Layer) Names(int context = 6)
    {
        var layer = new BigramTable(Table);
        var model = new Sequential(layer).Build([context], seed: 1);
        return (new TextGenerator(model, CharVocabulary.FromItems(["abc"])), layer);
    }

    [Fact]
    public void TopOneIsTheGreedyPathAndStopsAtTheBoundary()
    {
        var (g, _) = Names();
        Assert.Equal([1, 2], g.Generate([], 20, 1f, 1, new Rng(1)));
        Assert.Equal("ab", g.Vocabulary.Decode(g.Generate([], 20, 1f, 1, new Rng(1))));
        Assert.Equal([2], g.Generate([1], 20, 0.01f, null, new Rng(7)));
    }

    [Fact]
    public void TheSameSeedGivesTheSameTextAndAnotherSeedOtherText()
    {
        var (g, _) = Names();
        string Draw(ulong seed) => string.Join(",", Enumerable.Range(0, 50).Select(_ => g.Vocabulary.Decode(g.Generate([], 12, 1.5f, null, new Rng(seed)))));
        Assert.Equal(Draw(3), Draw(3));
        var rng = new Rng(3);
        var many = Enumerable.Range(0, 200).Select(_ => g.Vocabulary.Decode(g.Generate([], 12, 2f, null, rng))).ToArray();
        Assert.True(many.Distinct().Count() > 5, string.Join(" ", many.Distinct()));
    }

    [Fact]
    public void DrawsFollowTheSoftmaxOfTheLogitsOverTemperature()
    {
        var (g, _) = Names();
        var rng = new Rng(11);
        var counts = new int[4];
        const int n = 20_000;
        for (int i = 0; i < n; i++)
        {
            var ids = g.Generate([2], 1, 2f, null, rng); // after "b": the boundary ends the item, so an empty result means 0
            counts[ids.Length == 0 ? 0 : ids[0]]++;
        }
        double[] z = [5 / 2.0, 0, -1 / 2.0, 0];
        double sum = z.Sum(Math.Exp);
        for (int c = 0; c < 4; c++)
        {
            double expected = Math.Exp(z[c]) / sum;
            Assert.InRange(counts[c] / (double)n, expected - 0.015, expected + 0.015);
        }
    }

    [Fact]
    public void TheWindowSlidesOverTheLastTTokens()
    {
        var (g, layer) = Names(context: 2);
        var ids = g.Generate([1, 2, 1, 2, 1], 1, 1f, 1, new Rng(1));
        Assert.Equal([2], ids);
        Assert.Equal(1, layer.Calls);
    }

    [Fact]
    public void BadSettingsAndModelsAreRefusedWithOneLine()
    {
        var (g, _) = Names();
        Assert.Contains("positive, finite", Assert.Throws<ArgumentOutOfRangeException>(() => g.Generate([], 5, 0f, null, new Rng(1))).Message);
        Assert.Contains("top-k must be 1 to 4", Assert.Throws<ArgumentOutOfRangeException>(() => g.Generate([], 5, 1f, 5, new Rng(1))).Message);
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(() => g.Generate([9], 5, 1f, null, new Rng(1))).Message);
        var stream = new TextGenerator(new Sequential(new BigramTable(Table)).Build([4], seed: 1), CharVocabulary.FromText("abcd"));
        Assert.Contains("the prompt is empty", Assert.Throws<ArgumentException>(() => stream.Generate([], 5, 1f, null, new Rng(1))).Message);
        var classifier = new Sequential(new Dense(4)).Build([3], seed: 1);
        var e = Assert.Throws<ArgumentException>(() => new TextGenerator(classifier, CharVocabulary.FromText("abcd")));
        Assert.StartsWith("not a language model for this vocabulary: it maps (3) to (4)", e.Message);
    }
}
