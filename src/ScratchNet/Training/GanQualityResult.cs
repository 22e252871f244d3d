namespace ScratchNet.Training;

/// <summary>What <see cref="GanQuality.Measure"/> found.</summary>
/// <param name="Count">n, the images drawn.</param>
/// <param name="Threshold">τ, the confidence a sample needs to count as recognisable.</param>
/// <param name="Confident">Images whose top class probability is at least τ.</param>
/// <param name="ClassCounts">For each class c, the images whose most probable class is c.</param>
public sealed record GanQualityResult(int Count, double Threshold, int Confident, IReadOnlyList<int> ClassCounts)
{
    /// <summary>Confident / n.</summary>
    public double ConfidentShare => Count == 0 ? 0 : Confident / (double)Count;

    /// <summary>Each class's share of the n images, ClassCounts[c] / n.</summary>
    public IReadOnlyList<double> ClassShares => ClassCounts.Select(c => Count == 0 ? 0 : c / (double)Count).ToArray();

    /// <summary>How many classes hold at least <paramref name="share"/> of the images (the goal: 8 of 10 at 0.05).</summary>
    public int ClassesWithAtLeast(double share) => ClassShares.Count(s => s >= share);
}
