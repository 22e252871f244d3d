using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScratchNet.Tensors;
using ScratchNet.Training.Presets;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Training;

/// <summary>
/// Where an mnist-mlp training step's time goes: each layer's forward and backward, the loss and the
/// optimizer step, on one batch of 64 random images, minimum and median over 2,000 steps after a
/// warm-up. Runs only when SCRATCHNET_MLP_PROFILE is set (to the thread count); prints a table.
/// </summary>
public class MlpStepProfile
{
    private readonly ITestOutputHelper _log;

    public MlpStepProfile(ITestOutputHelper log) => _log = log;

    [Fact]
    public void ProfileMnistMlpStep()
    {
        string? setting = Environment.GetEnvironmentVariable("SCRATCHNET_MLP_PROFILE");
        if (string.IsNullOrEmpty(setting)) return;
        using (Compute.UseThreads(int.Parse(setting, CultureInfo.InvariantCulture)))
        {
            var preset = PresetCatalog.MnistMlp;
            var model = preset.CreateModel();
            model.Build([784], new Rng(1));
            var loss = preset.CreateLoss();
            var optimizer = preset.CreateOptimizer();
            var rng = new Rng(2);
            var x = new Tensor(64, 784);
            foreach (ref float v in x.Span) v = rng.NextFloat();
            var y = new Tensor(64);
            for (int i = 0; i < 64; i++) y.Span[i] = i % 10;
            int layers = model.Layers.Count, warmUp = 200, steps = 2000;
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
            _log.WriteLine(sb.ToString());
            Console.WriteLine(sb.ToString());
        }
    }
}
