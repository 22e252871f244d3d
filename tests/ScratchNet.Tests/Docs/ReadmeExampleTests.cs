using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Training;

namespace ScratchNet.Tests.Docs;

/// <summary>The C# example in README.md, kept compiling and working (on a small slice of MNIST).</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExampleTrainsSavesAndLoads()
    {
        string dir = Directory.CreateTempSubdirectory("scratchnet-readme").FullName;
        try
        {
            // --- as in README.md, but for the subset that keeps the test fast ---
            var (train, test) = new DatasetManager().Load("mnist");
            train = new SubsetDataset("mnist/first-2000", train, Enumerable.Range(0, 2000).ToArray());

            var model = new Sequential(
                    new Dense(256, new HeUniform()), new ReLU(),
                    new Dense(128, new HeUniform()), new ReLU(),
                    new Dense(10))
                .Build([784], seed: 1);

            var trainer = new Trainer(model, new TrainerOptions
            {
                Loss = new SoftmaxCrossEntropy(),
                Optimizer = new Adam(learningRate: 1e-3f),
                Epochs = 1,
                BatchSize = 64,
                Seed = 1,
            });
            trainer.Fit(train);
            var result = Evaluation.Evaluate(model, test, new SoftmaxCrossEntropy());

            ModelFile.Save(Path.Combine(dir, "mnist.safetensors"), model);
            var (loaded, _) = ModelFile.Load(Path.Combine(dir, "mnist.safetensors"));
            // --- end of the README example ---

            Assert.True(result.Accuracy > 0.8, $"accuracy {result.Accuracy}");
            Assert.Equal(model.ParameterCount, loaded.ParameterCount);
            Assert.Contains("Dense", model.Summary());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
