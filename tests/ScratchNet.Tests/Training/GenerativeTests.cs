using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>
/// Variational autoencoders through the one training loop, the evaluation, the model file and the
/// image generator: the loss is the reconstruction plus the KL term, and the same seed gives the same
/// weights and the same samples with 1 or 2 threads.
/// </summary>
public class GenerativeTests
{
    /// <summary>The mnist-vae network (784-400-2×20, sampling, 20-400-784); its decoder starts at layers.4.</summary>
    private static Sequential Vae(int latent = 20, int hidden = 400) =>
        new(new Dense(hidden), new ReLU(), new Dense(2 * latent), new GaussianSample(latent), new Dense(hidden), new ReLU(), new Dense(784));

    private static GeneratorSpec Spec(int latent = 20) => new(latent, [1, 28, 28], "layers.4", "logits", "normal");

    /// <summary>Blobs of pixels in [0, 1], as their own targets.</summary>
    private static ReconstructionDataset Blobs(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Tensor(count, 784);
        for (int n = 0; n < count; n++)
        {
            int cx = 6 + rng.NextInt(16), cy = 6 + rng.NextInt(16);
            for (int y = 0; y < 28; y++)
                for (int c = 0; c < 28; c++)
                    x[n * 784 + y * 28 + c] = MathF.Max(0, 1 - ((y - cy) * (y - cy) + (c - cx) * (c - cx)) / 20f);
        }
        return new ReconstructionDataset(new InMemoryDataset("blobs", x, new Tensor(count), 0));
    }

    private static float[] Train(int threads)
    {
        var model = Vae(latent: 4, hidden: 64);
        var trainer = new Trainer(model, new TrainerOptions
        {
            Loss = new BinaryCrossEntropyWithLogits(sumPerSample: true), Optimizer = new Adam(1e-3f), Epochs = 2, BatchSize = 32, Seed = 9, Threads = threads,
        });
        trainer.Fit(Blobs(96, 2));
        return model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
    }

    [Fact]
    public void TrainingIsTheSameBitsWithOneOrTwoThreads() => Assert.Equal(Train(1), Train(2));

    /// <summary>A run stopped after its first epoch and resumed from the checkpoint draws the same ε (the layer's generator is saved) and ends with the same bits.</summary>
    [Fact]
    public void AResumedRunEndsWithTheSameBits()
    {
        using var dir = new TempFolder();
        TrainerOptions Options(int epochs, bool resume, bool checkpoints = true) => new()
        {
            Loss = new BinaryCrossEntropyWithLogits(sumPerSample: true), Optimizer = new Adam(1e-3f), Epochs = epochs, BatchSize = 32, Seed = 9,
            CheckpointDir = checkpoints ? dir.Path : null, Resume = resume,
        };
        var data = Blobs(64, 3);
        var whole = Vae(latent: 3, hidden: 16);
        new Trainer(whole, Options(2, false, checkpoints: false)).Fit(data);
        new Trainer(Vae(latent: 3, hidden: 16), Options(1, false)).Fit(data);
        var resumed = Vae(latent: 3, hidden: 16);
        new Trainer(resumed, Options(2, true)).Fit(data);
        Assert.Equal(whole.Parameters.SelectMany(p => p.Value.ToArray()), resumed.Parameters.SelectMany(p => p.Value.ToArray()));
    }

    [Fact]
    public void TheEvaluatedLossIsTheReconstructionPlusTheKlTerm()
    {
        var model = Vae(latent: 3, hidden: 16).Build([784], 4);
        var data = Blobs(10, 5);
        var (x, y) = data.Take(10);
        var loss = new BinaryCrossEntropyWithLogits(sumPerSample: true);
        double reconstruction = loss.Forward(model.Forward(x), y);
        double kl = ((GaussianSample)model.Layers[3]).AddedLoss;
        Assert.True(kl > 0);
        var result = Evaluation.Evaluate(model, data, new BinaryCrossEntropyWithLogits(sumPerSample: true), batchSize: 4);
        Assert.Equal(reconstruction + kl, result.Loss, 3);
        Assert.True(double.IsNaN(result.RSquared)); // logits are no values to compare with pixels
    }

    [Fact]
    public void TheSameSeedDrawsTheSameSamplesWithOneOrTwoThreads()
    {
        var generator = new ImageGenerator(Vae().Build([784], 3), Spec());
        Tensor Draw(int threads, ulong seed)
        {
            using (Compute.UseThreads(threads)) return generator.Sample(70, new Rng(seed));
        }
        var one = Draw(1, 7).ToArray();
        Assert.Equal(one, Draw(2, 7).ToArray());
        Assert.NotEqual(one, Draw(2, 8).ToArray());
        Assert.Equal(70 * 784, one.Length);
        Assert.All(one, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void EncodeGivesTheMeanAndDecodeItsImage()
    {
        var model = Vae(latent: 2, hidden: 16).Build([784], 3);
        var generator = new ImageGenerator(model, Spec(latent: 2));
        var (x, _) = Blobs(5, 1).Take(5);
        var codes = generator.Encode(x);
        var hidden = model.Layers[2].Forward(model.Layers[1].Forward(model.Layers[0].Forward(x, false), false), false);
        for (int n = 0; n < 5; n++)
            for (int j = 0; j < 2; j++) Assert.Equal(hidden[n * 4 + j], codes[n * 2 + j]);
        var images = generator.Decode(codes).ToArray();
        var logits = model.Forward(x).ToArray();
        for (int i = 0; i < images.Length; i++) Assert.InRange(images[i] - 1 / (1 + Math.Exp(-logits[i])), -1e-6, 1e-6);
    }

    [Theory]
    [InlineData("layers.9", "the model has 7 layers")]
    [InlineData("layers.3", "reads (40), not a code of 20 values")]
    [InlineData("nodes.x", "is not a path 'layers.{i}'")]
    public void AGeneratorThatDoesNotFitTheModelIsRefused(string decoder, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageGenerator(Vae().Build([784], 3), Spec() with { Decoder = decoder }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void APlainAutoencoderDrawsNothing()
    {
        var model = new Sequential(new Dense(8), new Dense(784)).Build([784], 1);
        var generator = new ImageGenerator(model, new GeneratorSpec(8, [1, 28, 28], "layers.1", "logits", "none"));
        Assert.Contains("no prior", Assert.Throws<InvalidOperationException>(() => generator.Sample(1, new Rng(1))).Message);
    }

    [Fact]
    public void TheModelFileKeepsTheGeneratorAndTheSamples()
    {
        using var dir = new TempFolder();
        var model = Vae(latent: 5, hidden: 32).Build([784], 6);
        string path = dir.File("vae.safetensors");
        ModelFile.Save(path, model, new ModelMetadata { Generator = Spec(latent: 5) });
        var (loaded, meta) = ModelFile.Load(path);
        Assert.Equal(Spec(latent: 5).ToJson(), meta.Generator!.ToJson());
        Assert.Equal(new ImageGenerator(model, Spec(latent: 5)).Sample(4, new Rng(2)).ToArray(),
            new ImageGenerator(loaded, meta.Generator).Sample(4, new Rng(2)).ToArray());
    }

    [Theory]
    [InlineData("""{"latent":0,"image":[784],"decoder":"layers.1","output":"logits","prior":"normal"}""", "generator.latent '0' is not a whole number")]
    [InlineData("""{"latent":2,"image":[-1],"decoder":"layers.1","output":"logits","prior":"normal"}""", "generator.image has '-1'")]
    [InlineData("""{"latent":2,"image":[784],"decoder":"layers.1","output":"relu","prior":"normal"}""", "generator.output 'relu' is not one of")]
    [InlineData("""{"latent":2,"image":[784],"decoder":"layers.1","output":"logits","prior":"uniform"}""", "generator.prior 'uniform'")]
    [InlineData("""{"latent":2,"image":[784],"decoder":"encoder","output":"logits","prior":"normal"}""", "generator.decoder 'encoder'")]
    [InlineData("""{"latent":2,"image":[784],"decoder":"layers.3","output":"logits","prior":"normal","end":"layers.3"}""", "generator.end 'layers.3' does not come after")]
    [InlineData("""{"latent":2,"image":[784],"decoder":"layers.0","output":"logits","prior":"normal","end":4}""", "generator.end is not a string")]
    [InlineData("""{"latent":2}""", "generator is malformed")]
    [InlineData("""[1]""", "generator is not a JSON object")]
    public void AMalformedGeneratorIsRefusedByName(string json, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => GeneratorSpec.FromJson(json)).Message);

    [Fact]
    public void AGeneratorThatEndsBeforeTheModelRoundTripsItsEnd()
    {
        var spec = GeneratorSpec.FromJson("""{"latent":2,"image":[1,28,28],"decoder":"layers.0","output":"sigmoid","prior":"normal","end":"layers.4"}""");
        Assert.Equal(4, spec.EndIndex);
        Assert.Equal(spec.ToJson(), GeneratorSpec.FromJson(spec.ToJson()).ToJson());
        Assert.DoesNotContain("end", GeneratorSpec.FromJson("""{"latent":2,"image":[784],"decoder":"layers.1","output":"logits","prior":"normal"}""").ToJson());
    }
}
