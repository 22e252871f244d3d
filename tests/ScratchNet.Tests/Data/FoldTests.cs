using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>K folds from a seed: a partition, sizes within one, each class spread within one, the same for the same seed.</summary>
public class FoldTests
{
    [Theory]
    [InlineData(10, 3, false)]
    [InlineData(103, 5, true)]
    [InlineData(7, 7, true)]
    public void FoldsPartitionTheRowsEvenlyAndStratifyTheClasses(int n, int k, bool stratified)
    {
        // Classes of uneven sizes: 0 for a sixth, 1 for a third, 2 for the rest.
        int[]? labels = stratified ? Enumerable.Range(0, n).Select(i => (i % 6) switch { 0 => 0, 1 or 2 => 1, _ => 2 }).ToArray() : null;
        var fold = DatasetSplitter.FoldOf(n, k, 42, labels);
        Assert.All(fold, f => Assert.InRange(f, 0, k - 1));
        var sizes = Enumerable.Range(0, k).Select(f => fold.Count(x => x == f)).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
        if (labels is not null)
            foreach (int c in labels.Distinct())
            {
                var perFold = Enumerable.Range(0, k).Select(f => Enumerable.Range(0, n).Count(i => fold[i] == f && labels[i] == c)).ToArray();
                Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(",", perFold)}");
            }
        Assert.Equal(fold, DatasetSplitter.FoldOf(n, k, 42, labels));

        var seen = new List<int>();
        for (int f = 0; f < k; f++)
        {
            var (kept, held) = DatasetSplitter.FoldIndices(n, new CrossValidationFold { Index = f, Count = k }, 42, labels);
            Assert.Equal(n, kept.Length + held.Length);
            Assert.Empty(kept.Intersect(held));
            Assert.All(held, i => Assert.Equal(f, fold[i]));
            seen.AddRange(held);
        }
        Assert.Equal(Enumerable.Range(0, n), seen.Order());
    }

    [Fact]
    public void AnotherSeedDealsOtherFolds() =>
        Assert.NotEqual(DatasetSplitter.FoldOf(50, 5, 1), DatasetSplitter.FoldOf(50, 5, 2));

    [Fact]
    public void FoldCountsOutOfRangeAreRefused()
    {
        Assert.Contains("2 to 4 folds for 4 samples (got 5)", Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplitter.FoldOf(4, 5, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplitter.FoldOf(4, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplitter.FoldOf(4, 2, 1, [0, 1]));
        Assert.Throws<ArgumentException>(() => new CrossValidationFold { Index = 3, Count = 3 }.Validate());
        Assert.Throws<ArgumentException>(() => new CrossValidationFold { Index = 0, Count = 1 }.Validate());
    }
}
