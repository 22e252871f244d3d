using System.Numerics;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;

namespace ScratchNet.Training;

/// <summary>
/// Finds NaN and ±∞ in a model's parameters and buffers and in an optimizer's state. One vectorised
/// pass over the values: for a model that is a small fraction of one training step, which reads every
/// weight several times (forward, backward, update) for every row of the batch.
/// </summary>
internal static class FiniteCheck
{
    /// <summary>The first tensor of <paramref name="model"/> holding a non-finite value, and that value; null when all are finite.</summary>
    public static (string Name, float Value)? InModel(Model model)
    {
        foreach (var (name, value) in ModelTensors.Collect(model))
            if (IndexOfNonFinite(value.Span) is int i and >= 0) return (name, value.Span[i]);
        return null;
    }

    /// <summary>The first state tensor of <paramref name="optimizer"/> holding a non-finite value, and that value; null when all are finite.</summary>
    public static (string Name, float Value)? InOptimizer(Optimizer optimizer)
    {
        foreach (var (name, value) in optimizer.GetState())
            if (IndexOfNonFinite(value.Span) is int i and >= 0) return (name, value.Span[i]);
        return null;
    }

    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or -1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        // x - x is 0 for every finite x and NaN for NaN and ±∞.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(values);
            for (int v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                if (!Vector.EqualsAll(x - x, Vector<float>.Zero)) { i = v * Vector<float>.Count; break; }
                i = (v + 1) * Vector<float>.Count;
            }
        }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
