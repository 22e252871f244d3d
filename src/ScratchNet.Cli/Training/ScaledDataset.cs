using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Cli.Training;

/// <summary>Another dataset whose features go through a <see cref="Standardizer"/> batch by batch (images stay bytes in the source).</summary>
public sealed class ScaledDataset(Dataset source, Standardizer standardizer) : Dataset
{
    public override string Name => source.Name;
    public override int Count => source.Count;
    public override int[] SampleShape => source.SampleShape;
    public override int ClassCount => source.ClassCount;
    public override int TargetWidth => source.TargetWidth;
    public override IReadOnlyList<string> ClassNames => source.ClassNames;

    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        source.CopyBatch(indices, features, targets);
        standardizer.Transform(features.Reshape(indices.Length, -1));
    }

    /// <summary>z = (x - μ)/σ with one pixel mean and deviation for every pixel (MNIST 0.1307/0.3081, Fashion-MNIST 0.2860/0.3530; x in [0, 1]).</summary>
    public static LoadedData StandardizeImages(LoadedData data)
    {
        var (mean, std) = data.Info.Name == "fashion-mnist" ? (0.2860f, 0.3530f) : (0.1307f, 0.3081f);
        int features = data.Train.SampleShape.Aggregate(1, (a, b) => a * b);
        var s = new Standardizer(StandardizeMode.ZScore, Enumerable.Repeat(mean, features).ToArray(), Enumerable.Repeat(std, features).ToArray());
        return data with { Train = new ScaledDataset(data.Train, s), Test = new ScaledDataset(data.Test, s), Standardizer = s };
    }
}
