using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>Training counted in steps: each epoch is N steps on batches drawn with replacement.</summary>
public class StepsPerEpochTests
{
    private static (float[] Weights, TrainingHistory History, long Steps) Train(int threads, ulong seed = 4)
    {
        var rng = new Rng(3);
        var x = new Tensor(40, 3);
        var y = new Tensor(40);
        for (int i = 0; i < 40; i++) { for (int j = 0; j < 3; j++) x[i * 3 + j] = (float)rng.NextGaussian(); y[i] = x[i * 3] > 0 ? 1 : 0; }
        var model = new Sequential(new Dense(8), new Tanh(), new Dense(2)).Build([3], seed: 2);
        var optimizer = new Adam(0.01f);
        var trainer = new Trainer(model, new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(), Optimizer = optimizer, Epochs = 3, BatchSize = 7, StepsPerEpoch = 11, Seed = seed, Threads = threads,
        });
        var history = trainer.Fit(new InMemoryDataset("points", x, y, 2));
        return (model.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray(), history, trainer.Schedule.Step);
    }

    [Fact]
    public void EachEpochIsTheGivenStepsAndTheSameSeedGivesTheSameBits()
    {
        var one = Train(1);
        Assert.Equal(3 * 11, one.Steps);
        Assert.Equal(3, one.History.Epochs.Count);
        Assert.Equal(one.Weights, Train(2).Weights);
        Assert.NotEqual(one.Weights, Train(1, seed: 5).Weights);
    }

    [Fact]
    public void ImpossibleStepCountsAreRefused()
    {
        var options = new TrainerOptions { Loss = new SoftmaxCrossEntropy(), Optimizer = new Sgd(0.1f), StepsPerEpoch = 0 };
        Assert.Contains("steps per epoch must be 1 to", Assert.Throws<ArgumentOutOfRangeException>(options.Validate).Message);
    }
}
