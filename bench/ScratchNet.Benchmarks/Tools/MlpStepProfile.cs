using System.Diagnostics;
using System.Text;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;
using ScratchNet.Training.Presets;

namespace ScratchNet.Benchmarks.Tools;

/// <summary>
/// Where an mnist-mlp training step's time goes: each layer's forward and backward, the loss and the
/// optimizer step, on one batch of 64 random images, minimum and median over the measured steps after
/// a warm-up. Prints a table.
/// </summary>
internal static class MlpStepProfile
{
    public const string Usage = "profile-mlp [--threads 2] [--steps 2000] [--warmup 200]";

    public static int Run(ToolOptions options)
    {
        int threads = options.Int("threads", 2, min: 1);
        int steps = options.Int("steps", 2000, min: 1);
        int warmUp = options.Int("warmup", 200, min: 0);
        options.RejectUnknown("profile-mlp");
        using var threadScope = Compute.UseThreads(threads);

        // mnist-mlp's network, loss and optimizer, on random inputs: no data to load.
        var model = new Sequential(new Dense(256, new HeUniform()), new ReLU(), new Dense(128, new HeUniform()), new ReLU(), new Dense(10));
        model.Build([784], new Rng(1));
        var loss = new SoftmaxCrossEntropy();
        var optimizer = PresetCatalog.MnistMlp.CreateOptimizer();
        var rng = new Rng(2);
        var x = new Tensor(64, 784);
        foreach (ref float v in x.Span) v = rng.NextFloat();
        var y = new Tensor(64);
        for (int i = 0; i < 64; i++) y.Span[i] = i % 10;
        int layers = model.Layers.Count;
        var phases = new List<string>();
        for (int i = 0; i < layers; i++) phases.Add($"fwd {model.Layers[i].Spec}");
        phases.Add("loss forward + backward");
        for (int i = layers - 1; i >= 0; i--) phases.Add($"bwd {model.Layers[i].Spec}");
        phases.Add($"{optimizer.Name} step");
        phases.Add("whole step");
        var times = phases.Select(_ => new List<double>()).ToArray();
        var clock = new Stopwatch();
        var whole = new Stopwatch();
        for (int s = 0; s < warmUp + steps; s++)
        {
            int phase = 0;
            void Lap()
            {
                if (s >= warmUp) times[phase].Add(clock.Elapsed.TotalMilliseconds);
                phase++;
                clock.Restart();
            }
            whole.Restart();
            clock.Restart();
            Tensor h = x;
            for (int i = 0; i < layers; i++) { h = model.Layers[i].Forward(h, true); Lap(); }
            loss.Forward(h, y);
            Tensor g = loss.Backward();
            Lap();
            for (int i = layers - 1; i >= 0; i--) { g = model.Layers[i].Backward(g); Lap(); }
            optimizer.Step(model.Parameters);
            Lap();
            if (s >= warmUp) times[phase].Add(whole.Elapsed.TotalMilliseconds);
        }
        var sb = new StringBuilder();
        sb.AppendLine($"threads {Compute.Threads}, batch 64, {steps} steps after {warmUp} (ms): min, median");
        double minSum = 0, medianSum = 0;
        for (int p = 0; p < phases.Count; p++)
        {
            times[p].Sort();
            double min = times[p][0], median = times[p][times[p].Count / 2];
            if (p < phases.Count - 1) { minSum += min; medianSum += median; }
            sb.AppendLine($"{phases[p],-70} {min,8:F4} {median,8:F4}");
        }
        sb.AppendLine($"{"sum of phases",-70} {minSum,8:F4} {medianSum,8:F4}  -> 938 steps: {medianSum * 938 / 1000:F3} s (medians)");
        Console.Write(sb.ToString());
        return 0;
    }
}
