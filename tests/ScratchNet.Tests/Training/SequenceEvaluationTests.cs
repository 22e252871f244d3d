using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>Evaluation of a language model: the loss is the mean over every counted position, whatever the batches.</summary>
public class SequenceEvaluationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(500)]
    public void LossIsTheMeanOverEveryCountedTarget(int batchSize)
    {
        const string text = "abracadabra, said the cat; abracadabra!";
        var v = CharVocabulary.FromText(text);
        var data = TokenBlockDataset.Covering("t", Array.ConvertAll(v.Encode(text), i => (ushort)i), 6, v);
        var model = new Sequential(new Embedding(v.Count, 5), new Dense(v.Count)).Build([6], seed: 3);
        var result = Evaluation.Evaluate(model, data, new SoftmaxCrossEntropy(), batchSize);

        double total = 0;
        int counted = 0, correct = 0;
        for (int s = 0; s < data.Count; s++)
        {
            var (x, y) = (new Tensor(1, 6), new Tensor(1, 6));
            data.CopyBatch([s], x, y);
            var logits = model.Forward(x, training: false);
            for (int t = 0; t < 6; t++)
            {
                if (y[t] == Targets.Ignored) continue;
                var row = logits.Span.Slice(t * v.Count, v.Count).ToArray().Select(f => (double)f).ToArray();
                double max = row.Max(), sum = row.Sum(z => Math.Exp(z - max));
                total += Math.Log(sum) - (row[(int)y[t]] - max);
                if (Array.IndexOf(row, row.Max()) == (int)y[t]) correct++;
                counted++;
            }
        }
        Assert.Equal(text.Length - 1, counted);
        Assert.Equal(total / counted, result.Loss, 5);
        Assert.Equal(correct / (double)counted, result.Accuracy, 10);
        Assert.Null(result.Predictions);
    }
}
