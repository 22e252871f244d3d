using System.Diagnostics;
using System.Text;
using ScratchNet.Data;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Benchmarks.Tools;

/// <summary>
/// Where an mnist-mlp training step's time goes, at any batch size: the data gather (bytes / 255 into
/// the batch), each layer's forward and backward, the loss, the class decision, the optimizer step,
/// and, timed apart on the same operands, the step's eight matrix products alone, so that a Dense's
/// time splits into its products and the rest (bias, column sums). The epoch's shuffle is timed once
/// per epoch and shared over its steps. Minimum and median over the measured steps after a warm-up,
/// and the bytes allocated per step (all threads). The images are random bytes: the work is the same.
/// </summary>
internal static class MlpStepProfile
{
    public const string Usage = "profile-mlp [--threads 2] [--batch 64] [--steps 2000] [--warmup 200]";

    private const int TrainImages = 60000;

    public static int Run(ToolOptions options)
    {
        int threads = options.Int("threads", 2, min: 1);
        int batch = options.Int("batch", 64, min: 1);
        int steps = options.Int("steps", 2000, min: 1);
        int warmUp = options.Int("warmup", 200, min: 0);
        options.RejectUnknown("profile-mlp");
        using var threadScope = Compute.UseThreads(threads);

        // mnist-mlp's network, loss and optimizer, on random images: no data to load.
        var model = new Sequential(new Dense(256, new HeUniform()), new ReLU(), new Dense(128, new HeUniform()), new ReLU(), new Dense(10));
        model.Build([784], new Rng(1));
        var loss = new SoftmaxCrossEntropy();
        var optimizer = PresetCatalog.MnistMlp.CreateOptimizer();
        var rng = new Rng(2);
        var pixels = new byte[TrainImages * 784];
        var labels = new byte[TrainImages];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.NextInt(256);
        for (int i = 0; i < labels.Length; i++) labels[i] = (byte)(i % 10);
        var data = new ImageDataset("random", pixels, labels, 28, 28, 10);
        var buffers = new BatchBuffers(data, batch);
        var order = Enumerable.Range(0, TrainImages).ToArray();
        int stepsPerEpoch = (TrainImages + batch - 1) / batch;

        int layers = model.Layers.Count;
        var dense = model.Layers.OfType<Dense>().ToArray();
        var phases = new List<string> { "data gather (bytes/255 into the batch)" };
        for (int i = 0; i < layers; i++) phases.Add($"fwd {model.Layers[i].Spec}");
        phases.Add("loss forward");
        phases.Add("class decision (argmax, count)");
        phases.Add("loss backward");
        for (int i = layers - 1; i >= 0; i--) phases.Add($"bwd {model.Layers[i].Spec}");
        phases.Add($"{optimizer.Name} step");
        int wholePhase = phases.Count;
        phases.Add("whole step (sum of the above, timed as one)");
        int productsPhase = phases.Count;
        phases.Add("the 8 products alone, same shapes (part of the fwd/bwd above)");
        int modelPhase = phases.Count;
        phases.Add("whole step through Sequential (Dense+ReLU pairs fused)");
        var times = phases.Select(_ => new List<double>(steps)).ToArray(); // sized up front: the lists do not allocate while steps run
        var predicted = new int[batch];
        var clock = new Stopwatch();
        var whole = new Stopwatch();
        long allocatedBefore = 0;
        var laps = new double[wholePhase]; // the phases' times of one step, recorded after it (no closure: nothing allocated here)
        var allocated = new long[wholePhase]; // bytes allocated on this thread per phase, summed over the measured steps
        var before = new long[wholePhase + 1];
        int phase = 0;
        void Lap()
        {
            laps[phase] = clock.Elapsed.TotalMilliseconds;
            before[++phase] = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
        }
        for (int s = 0; s < warmUp + steps; s++)
        {
            if (s == warmUp) allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            phase = 0;
            before[0] = GC.GetAllocatedBytesForCurrentThread();
            int start = s % stepsPerEpoch * batch, count = Math.Min(batch, TrainImages - start);
            whole.Restart();
            clock.Restart();
            var (x, y) = buffers.Fill(data, order.AsSpan(start, count));
            Lap();
            Tensor h = x;
            for (int i = 0; i < layers; i++) { h = model.Layers[i].Forward(h, true); Lap(); }
            loss.Forward(h, y);
            Lap();
            ClassDecision.Decide(h, predicted.AsSpan(0, count), 0.5f);
            ClassDecision.CountCorrect(predicted.AsSpan(0, count), y);
            Lap();
            Tensor g = loss.Backward();
            Lap();
            model.Layers[0].InputGradientRequired = false;
            for (int i = layers - 1; i >= 0; i--) { g = model.Layers[i].Backward(g); Lap(); }
            optimizer.Step(model.Parameters);
            Lap();
            double total = whole.Elapsed.TotalMilliseconds;
            if (s < warmUp) continue;
            for (int p = 0; p < wholePhase; p++) { times[p].Add(laps[p]); allocated[p] += before[p + 1] - before[p]; }
            times[wholePhase].Add(total);
        }
        long allocatedPerStep = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / steps;

        // The products alone, on buffers of the same shapes (784-256-128-10): forward x W, backward
        // xᵀ dY and dY Wᵀ (the first layer's dx is skipped in training, as above).
        var acts = new[] { new Tensor(batch, 784), new Tensor(batch, 256), new Tensor(batch, 128), new Tensor(batch, 10) };
        var grads = acts.Select(a => new Tensor(a.ShapeArray())).ToArray();
        foreach (var t in acts.Concat(grads)) foreach (ref float v in t.Span) v = rng.NextFloat() - 0.5f;
        for (int s = 0; s < warmUp + steps; s++)
        {
            clock.Restart();
            for (int l = 0; l < 3; l++)
            {
                int k = dense[l].Inputs, n = dense[l].Units;
                Gemm.Multiply(false, false, batch, n, k, 1f, acts[l].Span, k, dense[l].Weight.Value.Span, n, 0f, acts[l + 1].Span, n);
            }
            for (int l = 2; l >= 0; l--)
            {
                int k = dense[l].Inputs, n = dense[l].Units;
                Gemm.Multiply(true, false, k, n, batch, 1f, acts[l].Span, k, grads[l + 1].Span, n, 0f, dense[l].Weight.Gradient.Span, n);
                if (l > 0) Gemm.Multiply(false, true, batch, k, n, 1f, grads[l + 1].Span, n, dense[l].Weight.Value.Span, n, 0f, grads[l].Span, k);
            }
            if (s >= warmUp) times[productsPhase].Add(clock.Elapsed.TotalMilliseconds);
        }

        // The same step as the trainer runs it: Sequential's Forward and Backward (the fused pairs).
        for (int s = 0; s < warmUp + steps; s++)
        {
            int start = s % stepsPerEpoch * batch, count = Math.Min(batch, TrainImages - start);
            clock.Restart();
            var (x, y) = buffers.Fill(data, order.AsSpan(start, count));
            var h = model.Forward(x, training: true);
            loss.Forward(h, y);
            ClassDecision.Decide(h, predicted.AsSpan(0, count), 0.5f);
            ClassDecision.CountCorrect(predicted.AsSpan(0, count), y);
            model.Backward(loss.Backward(), inputGradient: false);
            optimizer.Step(model.Parameters);
            if (s >= warmUp) times[modelPhase].Add(clock.Elapsed.TotalMilliseconds);
        }

        // The shuffle runs once per epoch (Trainer.Fit: Rng.Shuffle of the sample order).
        var shuffleTimes = new List<double>();
        var shuffleRng = new Rng(3);
        for (int e = 0; e < 20; e++)
        {
            clock.Restart();
            shuffleRng.Shuffle(order.AsSpan());
            shuffleTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        shuffleTimes.Sort();

        var sb = new StringBuilder();
        sb.AppendLine($"threads {Compute.Threads}, batch {batch}, {steps} steps after {warmUp} (ms per step): min, median; {stepsPerEpoch} steps per epoch");
        for (int p = 0; p < phases.Count; p++)
        {
            times[p].Sort();
            double min = times[p][0], median = times[p][times[p].Count / 2];
            string epoch = p >= wholePhase ? $"  -> {median * stepsPerEpoch / 1000:F3} s per epoch (median)"
                : allocated[p] > 0 ? $"  allocates {allocated[p] / (double)steps:F0} B per step" : "";
            sb.AppendLine($"{phases[p],-70} {min,8:F4} {median,8:F4}{epoch}");
        }
        double shuffle = shuffleTimes[shuffleTimes.Count / 2];
        sb.AppendLine($"{"shuffle of 60,000 indices, once per epoch",-70} {shuffleTimes[0],8:F4} {shuffle,8:F4}  ({shuffle / stepsPerEpoch:F5} per step)");
        sb.AppendLine($"allocated per step (all threads, after the warm-up): {allocatedPerStep} bytes");
        Console.Write(sb.ToString());
        return 0;
    }
}
