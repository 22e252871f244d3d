using System.Diagnostics;
using System.Text;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Training.Presets;
using ScratchNet.Tensors;

namespace ScratchNet.Benchmarks.Tools;

/// <summary>
/// Per-layer forward and backward times of the mnist-cnn network on one batch of 64: the minimum over
/// all repetitions (what a quiet machine would show) and the median after the first 20 (the JIT's
/// warm-up); the step as the model runs it (fused runs); then the three GEMMs, im2col and col2im of
/// the second convolution, the first one's direct kernel, the second one's patch panels and the first
/// fused run alone. Prints a table.
/// </summary>
internal static class CnnLayerProfile
{
    public const string Usage =
        "profile-cnn [--threads 2] [--reps 200] [--shift 0] [--data-dir DIR]\n" +
        "  --shift: the preset's random shift layer in front (largest shift in pixels); --data-dir: time the first\n" +
        "  64 MNIST training images found there instead of uniform noise.";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    public static int Run(ToolOptions options)
    {
        int threads = options.Int("threads", 2, min: 1);
        int reps = options.Int("reps", 200, min: 21);
        int shift = options.Int("shift", 0, min: 0);
        string? dataDir = options.Text("data-dir");
        options.RejectUnknown("profile-cnn");
        using var threadScope = Compute.UseThreads(threads);

        var model = CnnModels.SmallCnn(maxShift: shift).Build(CnnModels.InputShape, 1UL);
        var rng = new Rng(2);
        var x = new Tensor(64, 1, 28, 28);
        foreach (ref float v in x.Span) v = rng.NextFloat();
        if (dataDir is not null)
        {
            var manager = new DatasetManager(new DatasetManagerOptions { AllowDownload = false, DataDir = dataDir, SearchRoots = [Environment.CurrentDirectory] });
            var (train, _) = PresetCatalog.MnistCnn.Data.Load(manager, 1);
            train.CopyBatch(Enumerable.Range(0, 64).ToArray(), x, new Tensor(64));
        }
        int layers = model.Layers.Count;
        var fwd = Enumerable.Repeat(double.MaxValue, layers).ToArray();
        var bwd = Enumerable.Repeat(double.MaxValue, layers).ToArray();
        var fwdAll = Enumerable.Range(0, layers).Select(_ => new List<double>()).ToArray();
        var bwdAll = Enumerable.Range(0, layers).Select(_ => new List<double>()).ToArray();
        var outputs = new Tensor[layers];
        var clock = new Stopwatch();
        var steps = new List<double>();
        var whole = new Stopwatch();
        for (int r = 0; r < reps; r++)
        {
            whole.Restart();
            Tensor h = x;
            for (int i = 0; i < layers; i++)
            {
                clock.Restart();
                h = model.Layers[i].Forward(h, true);
                fwd[i] = Math.Min(fwd[i], clock.Elapsed.TotalMilliseconds);
                if (r >= 20) fwdAll[i].Add(clock.Elapsed.TotalMilliseconds);
                outputs[i] = h;
            }
            Tensor g = Tensor.Full(0.01f, outputs[^1].ShapeArray());
            for (int i = layers - 1; i >= 0; i--)
            {
                clock.Restart();
                g = model.Layers[i].Backward(g);
                bwd[i] = Math.Min(bwd[i], clock.Elapsed.TotalMilliseconds);
                if (r >= 20) bwdAll[i].Add(clock.Elapsed.TotalMilliseconds);
            }
            if (r >= 20) steps.Add(whole.Elapsed.TotalMilliseconds); // after the JIT's warm-up
        }
        var sb = new StringBuilder();
        sb.AppendLine($"threads {Compute.Threads}, batch 64, min of {reps} and median after 20 (ms)");
        for (int i = 0; i < layers; i++)
            sb.AppendLine($"{model.Layers[i].Spec,-60} fwd {fwd[i],8:F3}  bwd {bwd[i],8:F3}   medians {Median(fwdAll[i]),8:F3} {Median(bwdAll[i]),8:F3}");
        sb.AppendLine($"{"total",-60} fwd {fwd.Sum(),8:F3}  bwd {bwd.Sum(),8:F3}  step {fwd.Sum() + bwd.Sum():F3} -> epoch of 938 steps ~ {(fwd.Sum() + bwd.Sum()) * 938 / 1000:F2} s");
        steps.Sort();
        long allocated = GC.GetTotalAllocatedBytes(true);
        int gcs = GC.CollectionCount(0);
        for (int r = 0; r < 10; r++)
        {
            Tensor h = x;
            for (int i = 0; i < layers; i++) h = model.Layers[i].Forward(h, true);
            Tensor g = Tensor.Full(0.01f, h.ShapeArray());
            for (int i = layers - 1; i >= 0; i--) g = model.Layers[i].Backward(g);
        }
        sb.AppendLine($"allocated per step {(GC.GetTotalAllocatedBytes(true) - allocated) / 10} bytes, gen0 collections in 10 steps {GC.CollectionCount(0) - gcs}");
        sb.AppendLine($"whole forward + backward, steps 21-{reps}: min {steps[0]:F3}, median {steps[steps.Count / 2]:F3}, mean {steps.Average():F3}, max {steps[^1]:F3} ms");
        // The same step as the model runs it (Sequential: fused runs, no input gradient below the
        // first convolution), and its inference forward alone.
        var modelSteps = new List<double>();
        var modelForwards = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            whole.Restart();
            var h = model.Forward(x, training: false);
            if (r >= 20) modelForwards.Add(whole.Elapsed.TotalMilliseconds);
            whole.Restart();
            h = model.Forward(x, training: true);
            model.Backward(Tensor.Full(0.01f, h.ShapeArray()), inputGradient: false);
            if (r >= 20) modelSteps.Add(whole.Elapsed.TotalMilliseconds);
        }
        modelSteps.Sort();
        modelForwards.Sort();
        sb.AppendLine($"Sequential (fused runs), steps 21-{reps}: forward min {modelForwards[0]:F3}, median {modelForwards[modelForwards.Count / 2]:F3}; forward + backward min {modelSteps[0]:F3}, median {modelSteps[modelSteps.Count / 2]:F3} ms");
        // Calibration: the three GEMMs of the second convolution alone, with the layer's row
        // strides (4112: 4096 columns padded off a multiple of 4 KiB) and with unpadded ones.
        var a = new float[800 * 4112]; var b = new float[800 * 4112]; var c = new float[800 * 4112];
        foreach (var (name, ta, tb, m, n, k, pad) in new[]
        {
            ("W*cols", false, false, 64, 4096, 800, 16), ("dY*cols^T", false, true, 64, 800, 4096, 16), ("W^T*dY", true, false, 800, 4096, 64, 16),
            ("dY*cols^T unpadded", false, true, 64, 800, 4096, 0),
        })
        {
            int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
            if (lda == 4096) lda += pad;
            if (ldb == 4096) ldb += pad;
            if (ldc == 4096) ldc += pad;
            double best = double.MaxValue;
            for (int r = 0; r < reps; r++)
            {
                clock.Restart();
                Gemm.Multiply(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            }
            sb.AppendLine($"GEMM {name} {m}x{n}x{k}: {best:F3} ms = {2.0 * m * n * k / best / 1e6:F1} GFLOP/s");
        }
        // im2col and col2im of the second convolution alone.
        var g2 = new ConvGeometry(32, 12, 12, 5, 1, 0);
        var input2 = new float[64 * 32 * 144];
        double pack = double.MaxValue, unpack = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            clock.Restart();
            Im2Col.Pack(input2, 0, 64, g2, b, 0, 64 * 64);
            pack = Math.Min(pack, clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            Im2Col.Unpack(b, 64 * 64, 64, g2, input2, 0);
            unpack = Math.Min(unpack, clock.Elapsed.TotalMilliseconds);
        }
        sb.AppendLine($"im2col conv2: {pack:F3} ms, col2im conv2: {unpack:F3} ms");
        // The first convolution's direct kernel alone, one thread, 64 images (32 x 24 x 24 outputs each).
        var image = new float[28 * 28];
        foreach (ref float v in image.AsSpan()) v = rng.NextFloat();
        var w1 = new float[32 * 25];
        foreach (ref float v in w1.AsSpan()) v = rng.NextFloat();
        var y1 = new float[32 * 576];
        double direct = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            clock.Restart();
            for (int n = 0; n < 64; n++) Conv2D.ForwardDirect(image, 28, w1, 5, 32, 24, 24, y1);
            direct = Math.Min(direct, clock.Elapsed.TotalMilliseconds);
        }
        sb.AppendLine($"direct conv1 x64, 1 thread: {direct:F3} ms = {2.0 * 64 * 32 * 576 * 25 / direct / 1e6:F1} GFLOP/s");
        // The second convolution's patch panels alone: 64 samples x 2 panels of 32 columns x 800 taps.
        var panelsSource = new PatchPanels();
        var panelBuffer = new float[32 * 800];
        double packing = double.MaxValue;
        unsafe
        {
            fixed (float* dst = panelBuffer)
                for (int r = 0; r < reps; r++)
                {
                    clock.Restart();
                    panelsSource.Set(input2, 0, g2, 0, transposed: false);
                    for (int j0 = 0; j0 < 64 * 64; j0 += 32) panelsSource.PackPanel(0, 800, j0, 32, dst, 32);
                    packing = Math.Min(packing, clock.Elapsed.TotalMilliseconds);
                }
        }
        sb.AppendLine($"patch panels conv2 x64, 1 thread: {packing:F3} ms = {64 * 64 * 800 * 4 / packing / 1e6:F1} GB/s written");
        var run1 = new Sequential(new Conv2D(32, 5), new ReLU(), new MaxPool2D(2)).Build(CnnModels.InputShape, 3UL);
        var run2 = new Sequential(new Conv2D(32, 5), new ReLU()).Build(CnnModels.InputShape, 3UL);
        var run3 = new Sequential(new Conv2D(32, 5)).Build(CnnModels.InputShape, 3UL);
        foreach (var (name, m, training) in new[] { ("conv+relu+pool", run1, true), ("conv+relu+pool inference", run1, false), ("conv+relu", run2, true), ("conv", run3, true) })
            sb.AppendLine($"fused run {name} x64: {FastestMs(reps, () => m.Forward(x, training)):F3} ms");
        // The second layer's fused run (8-wide output rows pooled in registers), on the first's pooled output.
        var second = new Sequential(new Conv2D(64, 5), new ReLU(), new MaxPool2D(2)).Build([32, 12, 12], 3UL);
        var x2 = Tensor.FromArray(input2, 64, 32, 12, 12);
        foreach (ref float v in x2.Span) v = rng.NextFloat();
        foreach (var (name, training) in new[] { ("training", true), ("inference", false) })
        {
            double best = FastestMs(reps, () => second.Forward(x2, training));
            sb.AppendLine($"fused run conv2+relu+pool {name} x64: {best:F3} ms = {2.0 * 64 * 64 * 64 * 800 / best / 1e6:F1} GFLOP/s");
        }
        Console.Write(sb.ToString());
        return 0;
    }

    /// <summary>The fastest of <paramref name="reps"/> runs of <paramref name="run"/>, in milliseconds.</summary>
    private static double FastestMs(int reps, Action run)
    {
        double best = double.MaxValue;
        var clock = new Stopwatch();
        for (int r = 0; r < reps; r++)
        {
            clock.Restart();
            run();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
