using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// Turns model outputs into class indices: the argmax of each row, or for a single output column
/// (binary classification) 1 when the output is at least <c>threshold</c>, else 0.
/// </summary>
internal static class ClassDecision
{
    public static void Decide(Tensor output, Span<int> classes, float threshold)
    {
        if (output.Columns == 1)
        {
            var o = output.Span;
            for (int i = 0; i < classes.Length; i++) classes[i] = o[i] >= threshold ? 1 : 0;
        }
        else TensorMath.ArgmaxRows(output, classes);
    }

    /// <summary>
    /// For sequences: the argmax class of each (sample, position) row of <paramref name="output"/>'s
    /// <paramref name="classCount"/> logits into <paramref name="classes"/> (one per target), and how many
    /// of the counted targets (not <see cref="Targets.Ignored"/>) it got right.
    /// </summary>
    public static (int Correct, int Decided) DecidePositions(Tensor output, int classCount, Tensor targets, Span<int> classes)
    {
        TensorMath.ArgmaxRows(output.Span, classCount, classes);
        var t = targets.Span;
        int correct = 0, decided = 0;
        for (int i = 0; i < classes.Length; i++)
        {
            if (t[i] == Targets.Ignored) continue;
            decided++;
            if (classes[i] == (int)t[i]) correct++;
        }
        return (correct, decided);
    }

    /// <summary>How many of <paramref name="classes"/> equal the class indices in <paramref name="targets"/>.</summary>
    public static int CountCorrect(ReadOnlySpan<int> classes, Tensor targets)
    {
        var t = targets.Span;
        int correct = 0;
        for (int i = 0; i < classes.Length; i++) if (classes[i] == (int)t[i]) correct++;
        return correct;
    }
}
