using System.Diagnostics;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// A ScratchNet MLP trained briefly on MNIST is saved as safetensors with its test-set logits (.npy);
/// bench/safetensors_torch.py rebuilds it in PyTorch and compares. Runs the script when Debian's
/// python3-torch is installed; otherwise checks only our side. Set SCRATCHNET_INTEROP_OUT to keep the files.
/// </summary>
public class TorchInteropTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Interop")]
    public void PyTorchReproducesTheLogits()
    {
        using var temp = new TempFolder();
        string outDir = Environment.GetEnvironmentVariable("SCRATCHNET_INTEROP_OUT") is { Length: > 0 } d ? d : temp.Path;
        Directory.CreateDirectory(outDir);
        var (train, test) = new DatasetManager().Load("mnist");

        var model = new Sequential(new Dense(128, new HeNormal()), new BatchNorm(), new ReLU(), new Dropout(0.2f), new Dense(10)).Build([784], 5);
        var loss = new SoftmaxCrossEntropy();
        var opt = new TestMomentum(0.05f);
        var rng = new Rng(11);
        var x = new Tensor(64, 784);
        var y = new Tensor(64);
        for (int step = 0; step < 150; step++)
        {
            var idx = Enumerable.Range(0, 64).Select(_ => rng.NextInt(train.Count)).ToArray();
            train.CopyBatch(idx, x, y);
            loss.Forward(model.Forward(x, training: true), y);
            model.Backward(loss.Backward());
            opt.Step(model.Parameters);
        }

        var logits = new Tensor(test.Count, 10);
        var tx = new Tensor(1000, 784);
        var ty = new Tensor(1000);
        int correct = 0;
        for (int start = 0; start < test.Count; start += 1000)
        {
            test.CopyBatch(Enumerable.Range(start, 1000).ToArray(), tx, ty);
            var z = model.Forward(tx, training: false);
            z.Span.CopyTo(logits.Span.Slice(start * 10, 10000));
            for (int b = 0; b < 1000; b++) if (ArgMax(z.Row(b)) == (int)ty[b]) correct++;
        }
        string modelPath = Path.Combine(outDir, "mlp.safetensors"), logitsPath = Path.Combine(outDir, "logits.npy");
        ModelFile.Save(modelPath, model, new ModelMetadata { Dataset = "mnist", Task = "classification", ClassNames = test.ClassNames.ToArray() });
        NpyFile.Write(logitsPath, logits);
        output.WriteLine($"ScratchNet test accuracy after 150 steps: {correct / (double)test.Count:P2}");

        // Our own reload gives the same bits.
        var (again, _) = ModelFile.Load(modelPath);
        test.CopyBatch(Enumerable.Range(0, 1000).ToArray(), tx, ty);
        Assert.Equal(TestModels.Bits(logits.SliceRows(0, 1000)), TestModels.Bits(again.Forward(tx)));

        string? repo = Path.GetDirectoryName(TempFolder.RepoData);
        string script = Path.Combine(repo!, "bench", "safetensors_torch.py");
        if (!File.Exists("/usr/bin/python3") || !TorchAvailable()) { output.WriteLine("python3-torch not installed: PyTorch side skipped"); return; }
        var psi = new ProcessStartInfo("/usr/bin/python3", [script, "--model", modelPath, "--logits", logitsPath, "--mnist", Path.Combine(TempFolder.RepoData, "mnist")])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        output.WriteLine(stdout + stderr);
        Assert.True(p.ExitCode == 0, $"safetensors_torch.py failed ({p.ExitCode}): {stdout} {stderr}");
        Assert.Contains("\"max_abs_diff\"", stdout);
    }

    private static int ArgMax(Span<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }

    private static bool TorchAvailable()
    {
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true };
            psi.Environment["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
            using var p = Process.Start(psi)!;
            p.WaitForExit(60_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
