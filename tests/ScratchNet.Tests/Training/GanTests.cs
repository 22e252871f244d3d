using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>
/// The GAN: the generator's gradient through the discriminator, the one training loop with its two
/// optimizers (resumed mid-epoch to the same bits, the same samples whatever the thread count), its
/// model file and the quality measure.
/// </summary>
public class GanTests
{
    private const int Pixels = 36, Latent = 8;

    /// <summary>Blurry "images" of 36 pixels in [0, 1]: a bright bar at one of 6 rows.</summary>
    private static InMemoryDataset Bars(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Tensor(n, Pixels);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            int row = rng.NextInt(6);
            for (int p = 0; p < Pixels; p++)
                x[i, p] = Math.Clamp((p / 6 == row ? 0.9f : 0.05f) + rng.NextUniform(-0.05f, 0.05f), 0f, 1f);
            y[i] = row;
        }
        return new InMemoryDataset("bars", x, y, classCount: 6);
    }

    private static GanModel Gan(int hidden = 24, bool dropout = true)
    {
        var layers = new List<Layer>
        {
            new Dense(hidden, new HeUniform()), new BatchNorm(), new LeakyReLU(0.2f), new Dense(Pixels, new XavierUniform()), new Sigmoid(),
            new Dense(hidden, new HeUniform()), new LeakyReLU(0.2f),
        };
        if (dropout) layers.Add(new Dropout(0.25f));
        layers.Add(new Dense(1, new XavierUniform()));
        return new GanModel(new Sequential(layers.ToArray()), generatorLayers: 5, latentSize: Latent);
    }

    private static TrainerOptions Options(string? dir = null, bool resume = false, int epochs = 3, int? threads = null) => new()
    {
        Loss = new BinaryCrossEntropyWithLogits(),
        Optimizer = new AdversarialOptimizer(new Adam(2e-3f, beta1: 0.5f), new Adam(2e-3f, beta1: 0.5f)),
        Epochs = epochs, BatchSize = 16, Seed = 11, CheckpointDir = dir, Resume = resume, Threads = threads,
    };

    private static int[] Bits(Model model) =>
        model.Parameters.SelectMany(p => p.Value.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static int[] Bits(Tensor t) => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void The_generators_gradient_through_the_discriminator_matches_central_differences()
    {
        // Smooth activations only (no kinks); the non-saturating loss L_G = BCE(D(G(z)), 1).
        var stack = new Sequential(new Dense(7), new Tanh(), new Dense(Pixels), new Sigmoid(), new Dense(5), new Tanh(), new Dense(1));
        var gan = new GanModel(stack, generatorLayers: 4, latentSize: Latent).Build([Pixels], new Rng(3));
        var z = gan.DrawCodes(6, new Rng(4));
        var ones = Tensor.Full(1f, 6, 1);
        var loss = new BinaryCrossEntropyWithLogits();

        // The engine's path: D(G(z)) forward, dL/dx̂ out of D, then into G.
        loss.Forward(gan.Forward(gan.Generate(z, training: true).Clone(), training: true), ones);
        var gradImages = gan.Backward(loss.Backward(), inputGradient: true)!;
        gan.BackwardGenerator(gradImages);
        var analytic = gan.GeneratorParameters.Select(p => p.Gradient.ToArray()).ToArray();

        double Loss()
        {
            loss.Forward(gan.Forward(gan.Generate(z).Clone()), ones);
            return loss.LastValue;
        }
        const float h = 1e-2f;
        int checkedEntries = 0;
        for (int pi = 0; pi < gan.GeneratorParameters.Count; pi++)
        {
            var value = gan.GeneratorParameters[pi].Value.Span;
            for (int i = 0; i < value.Length; i += 3)
            {
                float saved = value[i];
                value[i] = saved + h;
                double up = Loss();
                value[i] = saved - h;
                double down = Loss();
                value[i] = saved;
                double numeric = (up - down) / (2.0 * h);
                Assert.True(Math.Abs(numeric - analytic[pi][i]) <= 1e-3 + 2e-2 * Math.Abs(numeric),
                    $"parameter {pi} entry {i}: analytic {analytic[pi][i]}, numeric {numeric}");
                checkedEntries++;
            }
        }
        Assert.True(checkedEntries > 50);
        Assert.Contains(analytic, g => g.Any(v => Math.Abs(v) > 1e-4)); // a gradient that is all zeros would pass trivially

        // The same gradients as back-propagation through the stack z ↦ D(G(z)) as one Sequential.
        loss.Forward(stack.Forward(z, training: true), ones);
        stack.Backward(loss.Backward(), inputGradient: false);
        for (int pi = 0; pi < gan.GeneratorParameters.Count; pi++)
            Assert.Equal(analytic[pi], gan.GeneratorParameters[pi].Gradient.ToArray());
    }

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.9f)]
    public void The_discriminators_loss_takes_the_real_target_of_one_sided_label_smoothing(float realTarget)
    {
        // One step on one batch: its reported loss is L_D on the weights before the update,
        // −(1/2B) Σ [t log σ(D(x)) + (1 − t) log(1 − σ(D(x))) + log(1 − σ(D(x̂)))], computed here in double.
        var data = Bars(16, 1);
        var gan = Gan(dropout: false);
        var options = new TrainerOptions
        {
            Loss = new BinaryCrossEntropyWithLogits(), Optimizer = Options().Optimizer, Epochs = 1, BatchSize = 16, Seed = 11, GanRealTarget = realTarget,
        };
        var trainer = new Trainer(gan, options);
        trainer.Prepare(data);
        var z = new Tensor(16, Latent);
        GanStepEngine.CodesOfStep(options.Seed, 0).FillGaussian(z.Span);
        var fake = gan.Generate(z, training: true).Clone();
        var real = gan.Forward(data.Features, training: true).ToArray();
        var generated = gan.Forward(fake, training: true).ToArray();
        static double LogSigmoid(double v) => -Math.Log(1 + Math.Exp(-v));
        double expected = 0;
        foreach (double v in real) expected -= realTarget * LogSigmoid(v) + (1 - realTarget) * LogSigmoid(-v);
        foreach (double v in generated) expected -= LogSigmoid(-v);
        expected /= 32;

        var history = trainer.Fit(data);
        Assert.Equal(expected, history.Epochs[0].TrainLoss, 1e-5);
    }

    [Fact]
    public void A_real_target_outside_one_half_to_one_is_refused()
    {
        var options = new TrainerOptions { Loss = new BinaryCrossEntropyWithLogits(), Optimizer = Options().Optimizer, GanRealTarget = 0.5f };
        Assert.Contains("(0.5, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Gan(), options).Prepare(Bars(16, 1))).Message);
        var recipe = new ScratchNet.Training.Presets.GanRecipe { RealTarget = 1.1 };
        Assert.Contains("(0.5, 1]", Assert.Throws<ArgumentException>(recipe.Validate).Message);
    }

    [Fact]
    public void One_step_updates_both_networks_once_with_their_own_optimizers()
    {
        var gan = Gan();
        var options = Options(epochs: 1);
        var trainer = new Trainer(gan, options);
        trainer.Prepare(Bars(16, 1));
        var before = gan.Parameters.Select(p => p.Value.Clone()).ToArray();
        var history = trainer.Fit(Bars(16, 1)); // one batch: one step
        var pair = (AdversarialOptimizer)options.Optimizer;
        Assert.Equal(1, pair.StepCount);
        Assert.Equal(1, pair.Generator.StepCount);
        Assert.Equal(1, pair.Discriminator.StepCount);
        Assert.Equal(gan.GeneratorParameters.Count * 2, pair.Generator.GetState().Count);       // m and v of each
        Assert.Equal(gan.DiscriminatorParameters.Count * 2, pair.Discriminator.GetState().Count);
        for (int i = 0; i < before.Length; i++)
            Assert.NotEqual(before[i].ToArray(), gan.Parameters[i].Value.ToArray());
        Assert.True(double.IsFinite(history.Epochs[0].TrainLoss));
        Assert.InRange(history.Epochs[0].TrainAccuracy, 0, 1);
    }

    [Fact]
    public void Stopped_mid_epoch_then_resumed_from_the_checkpoint_gives_the_bits_of_a_straight_run()
    {
        var data = Bars(100, 2); // 7 batches of 16, the last of 4
        var straight = Gan();
        var straightOptions = Options();
        new Trainer(straight, straightOptions).Fit(data);

        string dir = Directory.CreateTempSubdirectory("scratchnet-gan-").FullName;
        try
        {
            Assert.Throws<TrainingInterruptedException>(() => new Trainer(Gan(), Options(dir)).Fit(data, new StopAt(2, 3)));
            var resumed = Gan();
            var resumedOptions = Options(dir, resume: true);
            new Trainer(resumed, resumedOptions).Fit(data);

            Assert.Equal(Bits(straight), Bits(resumed));
            var a = straightOptions.Optimizer.GetState();
            var b = resumedOptions.Optimizer.GetState();
            Assert.Equal(a.Select(s => s.Name), b.Select(s => s.Name));
            Assert.Contains(a, s => s.Name.StartsWith("generator.", StringComparison.Ordinal));
            Assert.Contains(a, s => s.Name.StartsWith("discriminator.", StringComparison.Ordinal));
            for (int i = 0; i < a.Count; i++) Assert.Equal(Bits(a[i].Value), Bits(b[i].Value));
            Assert.Equal(straightOptions.Optimizer.StepCount, resumedOptions.Optimizer.StepCount);
            Assert.Equal(Bits(straight.Sample(8, new Rng(3))), Bits(resumed.Sample(8, new Rng(3))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples_with_one_or_two_threads()
    {
        var data = Bars(160, 3);
        Tensor Run(int threads)
        {
            var gan = Gan(hidden: 96);
            new Trainer(gan, Options(epochs: 2, threads: threads)).Fit(data);
            using (Compute.UseThreads(threads)) return gan.Sample(64, new Rng(21));
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(Bits(one), Bits(two));
        Assert.NotEqual(Bits(one.SliceRows(0, 1)), Bits(one.SliceRows(1, 1))); // different codes, different images
    }

    [Fact]
    public void A_model_file_holds_the_stack_and_draws_the_same_images()
    {
        var gan = Gan();
        new Trainer(gan, Options(epochs: 1)).Fit(Bars(48, 4));
        string dir = Directory.CreateTempSubdirectory("scratchnet-gan-file-").FullName;
        try
        {
            string path = Path.Combine(dir, "model.safetensors");
            var meta = new ModelMetadata();
            GanFile.Describe(meta, gan);
            ModelFile.Save(path, gan, meta);
            var (stack, read) = ModelFile.Load(path);
            Assert.True(GanFile.IsGan(read));
            var opened = GanFile.Open(stack, read, path);
            Assert.Equal(gan.GeneratorLayerCount, opened.GeneratorLayerCount);
            Assert.Equal(Bits(gan.Sample(5, new Rng(9))), Bits(opened.Sample(5, new Rng(9))));
            // The file's generator entry: `generate` draws through ImageGenerator the images the GAN draws.
            var spec = read.Generator!;
            Assert.Equal((gan.LatentSize, "layers.0", "sigmoid", "normal", $"layers.{gan.GeneratorLayerCount}"), (spec.Latent, spec.Decoder, spec.Output, spec.Prior, spec.End));
            Assert.Equal(GeneratorSpec.ImageShapeOf(gan.InputShape), spec.Image);
            Assert.Equal(Bits(gan.Sample(5, new Rng(9))), Bits(new ImageGenerator(stack, spec).Sample(5, new Rng(9))));

            read.Extra[GanFile.GeneratorLayersKey] = "99";
            var e = Assert.Throws<ModelFileException>(() => GanFile.Open(stack, read, path));
            Assert.Contains("gan.generator_layers", e.Message);
            read.Extra[GanFile.GeneratorLayersKey] = "-1";
            Assert.Throws<ModelFileException>(() => GanFile.Open(stack, read, path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_trainer_refuses_options_a_gan_step_does_not_take()
    {
        var data = Bars(32, 5);
        var wrongLoss = new TrainerOptions { Loss = new MeanSquaredError(), Optimizer = Options().Optimizer };
        Assert.Contains("BinaryCrossEntropyWithLogits", Assert.Throws<ArgumentException>(() => new Trainer(Gan(), wrongLoss).Prepare(data)).Message);
        var oneOptimizer = new TrainerOptions { Loss = new BinaryCrossEntropyWithLogits(), Optimizer = new Adam() };
        Assert.Contains("AdversarialOptimizer", Assert.Throws<ArgumentException>(() => new Trainer(Gan(), oneOptimizer).Prepare(data)).Message);
        var wrongShape = new InMemoryDataset("wide", new Tensor(4, Pixels + 1), new Tensor(4), classCount: 2);
        Assert.Contains("generator draws", Assert.Throws<ArgumentException>(() => new Trainer(Gan(), Options()).Prepare(wrongShape)).Message);
    }

    [Fact]
    public void The_optimizer_pair_keeps_two_states_and_refuses_a_foreign_one()
    {
        var shared = new Adam();
        Assert.Throws<ArgumentException>(() => new AdversarialOptimizer(shared, shared));
        var pair = new AdversarialOptimizer(new Adam(), new Momentum(0.1f));
        Assert.Equal("Adversarial(Adam, Momentum)", pair.Name);
        Assert.Throws<InvalidOperationException>(() => pair.Step([]));
        var e = Assert.Throws<FormatException>(() => pair.SetState(new Dictionary<string, Tensor> { ["p0.m"] = new Tensor(1) }, 0));
        Assert.Contains("neither the generator's nor the discriminator's", e.Message);
    }

    [Fact]
    public void Quality_counts_confident_samples_and_the_classes_they_fall_in()
    {
        var gan = Gan().Build([Pixels], new Rng(1));
        // A classifier that ignores its input: logits (0, 10, 0) for every image, p(class 1) = 0.99991.
        var sure = new Sequential(new Dense(3)).Build([Pixels], new Rng(2));
        var dense = (Dense)sure.Layers[0];
        dense.Weight.Value.Span.Clear();
        dense.Bias!.Value.Span.Clear();
        dense.Bias.Value.Span[1] = 10f;
        var q = GanQuality.Measure(gan, sure, count: 40, seed: 3);
        Assert.Equal(40, q.Confident);
        Assert.Equal([0, 40, 0], q.ClassCounts);
        Assert.Equal(1.0, q.ConfidentShare);
        Assert.Equal(1, q.ClassesWithAtLeast(0.05));

        // Logits (0, 0, 0): p = 1/3 for each class, below 0.9; ties go to the first class.
        dense.Bias.Value.Span.Clear();
        var unsure = GanQuality.Measure(gan, sure, count: 40, seed: 3);
        Assert.Equal(0, unsure.Confident);
        Assert.Equal([40, 0, 0], unsure.ClassCounts);

        var wrongInput = new Sequential(new Dense(3)).Build([Pixels + 1], new Rng(2));
        Assert.Throws<ArgumentException>(() => GanQuality.Measure(gan, wrongInput, count: 4));
    }
}
