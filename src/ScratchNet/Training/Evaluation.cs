using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// Measures a model on a dataset in inference mode (dropout off), batch by batch: mean loss,
/// accuracy, confusion matrix, predictions. Batches are summed in order, so the results do not
/// depend on the thread count.
/// </summary>
public static class Evaluation
{
    /// <summary>Default rows per inference batch.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>
    /// Loss (when <paramref name="loss"/> is given) and, for classification datasets, accuracy, the
    /// confusion matrix and every prediction (and for two classes each sample's score and the ROC-AUC);
    /// for regression, MAE, RMSE and R² (not for logits read by a binary cross-entropy: they are no values to compare). For one output column, class 1 means output ≥
    /// <paramref name="threshold"/> (0.5 for a sigmoid output; use 0 for a logit). For sequences
    /// (targets of shape (T) per sample: a language model's next tokens), the loss is the mean over every
    /// counted position of the dataset (targets of <see cref="Targets.Ignored"/> do not count) and the
    /// accuracy and confusion matrix are per position; there are no per-sample predictions.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The samples.</param>
    /// <param name="loss">The loss to average, or null.</param>
    /// <param name="batchSize">Rows per inference batch.</param>
    /// <param name="threshold">Class 1 at output ≥ this, for one output column.</param>
    /// <param name="targetScaling">
    /// For a model trained on a standardised target: outputs and targets are restored to the target's
    /// units (y = z·Scale + Mean) before the loss and the regression metrics are computed.
    /// </param>
    public static EvaluationResult Evaluate(Model model, Dataset data, Loss? loss, int batchSize = DefaultBatchSize, float threshold = 0.5f,
        TargetScaling? targetScaling = null)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be at least 1 (got {batchSize}).");
        int n = data.Count;
        if (n == 0) throw new ArgumentException($"Dataset '{data.Name}' is empty: nothing to evaluate.", nameof(data));
        bool classify = data.ClassCount > 0;
        bool sequence = classify && data.TargetShape.Length > 0;
        var buffers = RentBuffers(data, Math.Min(batchSize, n));
        var indices = new int[buffers.Capacity];
        var confusion = classify ? new ConfusionMatrix(data.ClassCount, data.ClassNames) : null;
        var predictions = classify && !sequence ? new int[n] : null;
        int[] positionClasses = sequence ? new int[buffers.Capacity * data.TargetShape[0]] : [];
        bool binary = data.ClassCount == 2 && !sequence;
        var scores = binary ? new double[n] : null;
        var labels = binary ? new int[n] : null;
        float[]? values = null, targets = null;
        Tensor? restoredOutput = null, restoredTarget = null;
        double lossSum = 0;
        long lossWeight = 0;
        for (int start = 0; start < n; start += buffers.Capacity)
        {
            int count = Math.Min(buffers.Capacity, n - start);
            for (int i = 0; i < count; i++) indices[i] = start + i;
            var (x, y) = buffers.Fill(data, indices.AsSpan(0, count));
            Tensor output = model.Forward(x, training: false);
            if (!classify && targetScaling is not null)
            {
                // The model's buffers stay as they are: the restored values go into copies.
                if (restoredOutput is null || !restoredOutput.SameShape(output)) restoredOutput = new Tensor(output.ShapeArray());
                if (restoredTarget is null || !restoredTarget.SameShape(y)) restoredTarget = new Tensor(y.ShapeArray());
                output.Span.CopyTo(restoredOutput.Span);
                y.Span.CopyTo(restoredTarget.Span);
                targetScaling.Restore(restoredOutput.Span);
                targetScaling.Restore(restoredTarget.Span);
                (output, y) = (restoredOutput, restoredTarget);
            }
            if (loss is not null)
            {
                // A batch's loss is its mean over its counted positions (rows for one target per sample).
                long weight = sequence ? CountedTargets(y) : count;
                if (weight > 0) lossSum += ((double)loss.Forward(output, y) + model.AddedLoss()) * weight;
                lossWeight += weight;
            }
            if (!classify && output.Length == y.Length && loss is not BinaryCrossEntropyWithLogits)
            {
                int width = output.Length / count;
                values ??= new float[n * width];
                targets ??= new float[n * width];
                output.Span.CopyTo(values.AsSpan(start * width));
                y.Span.CopyTo(targets.AsSpan(start * width));
            }
            if (binary)
            {
                // A monotone score of class 1: the logit, or z₁ - z₀ for two softmax outputs.
                int width = output.Length / count;
                var o = output.Span;
                for (int i = 0; i < count; i++) scores![start + i] = width == 1 ? o[i] : (double)o[i * width + 1] - o[i * width];
            }
            if (sequence)
            {
                var classes = positionClasses.AsSpan(0, y.Length);
                TensorMath.ArgmaxRows(output.Span, data.ClassCount, classes);
                var t = y.Span;
                for (int i = 0; i < classes.Length; i++)
                    if (t[i] != Targets.Ignored) confusion!.Add((int)t[i], classes[i]);
            }
            else if (classify)
            {
                var classes = buffers.Predicted.AsSpan(0, count);
                ClassDecision.Decide(output, classes, threshold);
                var t = y.Span;
                for (int i = 0; i < count; i++)
                {
                    predictions![start + i] = classes[i];
                    if (labels is not null) labels[start + i] = (int)t[i];
                    confusion!.Add((int)t[i], Math.Min(classes[i], data.ClassCount - 1));
                }
            }
        }
        return new EvaluationResult
        {
            Loss = loss is null || lossWeight == 0 ? double.NaN : lossSum / lossWeight,
            Accuracy = confusion?.Accuracy ?? double.NaN,
            Count = n,
            Confusion = confusion,
            Predictions = predictions,
            Scores = scores,
            Labels = labels,
            RocAuc = binary ? BinaryMetrics.RocAuc(scores, labels) : double.NaN,
            MeanAbsoluteError = values is null ? double.NaN : RegressionMetrics.MeanAbsoluteError(values, targets),
            RootMeanSquaredError = values is null ? double.NaN : RegressionMetrics.RootMeanSquaredError(values, targets),
            RSquared = values is null ? double.NaN : RegressionMetrics.RSquared(values, targets),
        };
    }

    /// <summary>The targets that are not <see cref="Targets.Ignored"/>.</summary>
    private static long CountedTargets(Tensor targets)
    {
        long counted = 0;
        foreach (float t in targets.Span) if (t != Targets.Ignored) counted++;
        return counted;
    }

    /// <summary>The predicted class of every sample (argmax, or threshold for one output column).</summary>
    public static int[] PredictClasses(Model model, Dataset data, int batchSize = DefaultBatchSize, float threshold = 0.5f)
    {
        var result = new int[data.Count];
        ForEachBatch(model, data, batchSize, (start, output) =>
            ClassDecision.Decide(output, result.AsSpan(start, output.Rows), threshold));
        return result;
    }

    /// <summary>The model's outputs for every sample, shape (count, ...outputShape).</summary>
    public static Tensor PredictValues(Model model, Dataset data, int batchSize = DefaultBatchSize)
    {
        Tensor? result = null;
        ForEachBatch(model, data, batchSize, (start, output) =>
        {
            result ??= new Tensor([data.Count, .. output.ShapeArray()[1..]]);
            output.Span.CopyTo(result.SliceRows(start, output.Rows).Span);
        });
        return result ?? new Tensor(0);
    }

    /// <summary>The model's outputs for a batch of inputs, batched by <paramref name="batchSize"/>; shape (rows, ...outputShape).</summary>
    public static Tensor Predict(Model model, Tensor inputs, int batchSize = DefaultBatchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be at least 1 (got {batchSize}).");
        int n = inputs.Rank == 0 ? 0 : inputs.Dim(0);
        Tensor? result = null;
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            Tensor output = model.Forward(inputs.SliceRows(start, count), training: false);
            result ??= new Tensor([n, .. output.ShapeArray()[1..]]);
            output.Span.CopyTo(result.SliceRows(start, count).Span);
        }
        return result ?? new Tensor(0);
    }

    // The last evaluation's batch buffers, per thread. A training run evaluates the same test set after
    // every epoch: reusing its buffers (1.5 MB for 500 MNIST images) keeps that from leaving megabytes
    // of large-object garbage per epoch, which the GC may not collect for a long time. The dataset is
    // held weakly, so the cache never keeps a dataset alive.
    [ThreadStatic] private static BatchBuffers? t_buffers;
    [ThreadStatic] private static WeakReference<Dataset>? t_buffersFor;

    private static BatchBuffers RentBuffers(Dataset data, int capacity)
    {
        if (t_buffers is { } cached && cached.Capacity == capacity && t_buffersFor is not null
            && t_buffersFor.TryGetTarget(out var owner) && ReferenceEquals(owner, data))
            return cached;
        t_buffers = new BatchBuffers(data, capacity);
        t_buffersFor = new WeakReference<Dataset>(data);
        return t_buffers;
    }

    private static void ForEachBatch(Model model, Dataset data, int batchSize, Action<int, Tensor> onOutput)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be at least 1 (got {batchSize}).");
        int n = data.Count;
        if (n == 0) return;
        var buffers = RentBuffers(data, Math.Min(batchSize, n));
        var indices = new int[buffers.Capacity];
        for (int start = 0; start < n; start += buffers.Capacity)
        {
            int count = Math.Min(buffers.Capacity, n - start);
            for (int i = 0; i < count; i++) indices[i] = start + i;
            var (x, _) = buffers.Fill(data, indices.AsSpan(0, count));
            onOutput(start, model.Forward(x, training: false));
        }
    }
}
