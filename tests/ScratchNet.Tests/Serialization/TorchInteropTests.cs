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
/// bench/safetensors_torch.py rebuilds it in PyTorch and compares. Our side always runs; the PyTorch
/// side is skipped, with the reason, when Debian's python3-torch is not installed. Set
/// SCRATCHNET_INTEROP_OUT to keep the files.
/// </summary>
[Trait("Category", "Interop")]
public class TorchInteropTests(TorchInteropTests.TrainedMlp trained, ITestOutputHelper output) : IClassFixture<TorchInteropTests.TrainedMlp>
{
    [Fact]
    public void SavedModelReloadsToTheSameLogits()
    {
        output.WriteLine($"ScratchNet test accuracy after 150 steps: {trained.Accuracy:P2}");
        // 150 steps reach about 93 %: far below that, the model or the file would be useless for the comparison.
        Assert.InRange(trained.Accuracy, 0.9, 1.0);
        var (again, metadata) = ModelFile.Load(trained.ModelPath);
        Assert.Equal("mnist", metadata.Dataset);
        var (_, test) = new DatasetManager().Load("mnist");
        var tx = new Tensor(1000, 784);
        test.CopyBatch(Enumerable.Range(0, 1000).ToArray(), tx, new Tensor(1000));
        Assert.Equal(TestModels.Bits(trained.Logits.SliceRows(0, 1000)), TestModels.Bits(again.Forward(tx)));
        // The .npy the script reads: magic, version, header length at bytes 8-9, header, then the logits as little-endian float32.
        byte[] npy = File.ReadAllBytes(trained.LogitsPath);
        int data = 10 + (npy[8] | npy[9] << 8);
        Assert.Contains("'shape': (10000, 10)", System.Text.Encoding.ASCII.GetString(npy, 10, data - 10));
        Assert.Equal(data + 4 * trained.Logits.Length, npy.Length);
        Assert.Equal(TestModels.Bits(trained.Logits), Enumerable.Range(0, trained.Logits.Length).Select(i => BitConverter.ToInt32(npy, data + 4 * i)).ToArray());
    }

    [TorchFact]
    public void PyTorchReproducesTheLogits()
    {
        string script = Path.Combine(Path.GetDirectoryName(TempFolder.RepoData)!, "bench", "safetensors_torch.py");
        var psi = new ProcessStartInfo(TorchFactAttribute.Python, [script, "--model", trained.ModelPath, "--logits", trained.LogitsPath, "--mnist", Path.Combine(TempFolder.RepoData, "mnist")])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["LD_LIBRARY_PATH"] = TorchFactAttribute.OpenBlas;
        using var p = Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd(), stderr = stderrTask.GetAwaiter().GetResult();
        p.WaitForExit();
        output.WriteLine(stdout + stderr);
        Assert.True(p.ExitCode == 0, $"safetensors_torch.py failed ({p.ExitCode}): {stdout} {stderr}");
        Assert.Contains("\"max_abs_diff\"", stdout);
    }

    /// <summary>Dense(128)-BatchNorm-ReLU-Dropout-Dense(10) after 150 momentum steps, saved with its test-set logits.</summary>
    public sealed class TrainedMlp : IDisposable
    {
        private readonly TempFolder _temp = new();

        public TrainedMlp()
        {
            string outDir = Environment.GetEnvironmentVariable("SCRATCHNET_INTEROP_OUT") is { Length: > 0 } d ? d : _temp.Path;
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

            Logits = new Tensor(test.Count, 10);
            var tx = new Tensor(1000, 784);
            var ty = new Tensor(1000);
            int correct = 0;
            for (int start = 0; start < test.Count; start += 1000)
            {
                test.CopyBatch(Enumerable.Range(start, 1000).ToArray(), tx, ty);
                var z = model.Forward(tx, training: false);
                z.Span.CopyTo(Logits.Span.Slice(start * 10, 10000));
                for (int b = 0; b < 1000; b++) if (ArgMax(z.Row(b)) == (int)ty[b]) correct++;
            }
            Accuracy = correct / (double)test.Count;
            ModelPath = Path.Combine(outDir, "mlp.safetensors");
            LogitsPath = Path.Combine(outDir, "logits.npy");
            ModelFile.Save(ModelPath, model, new ModelMetadata { Dataset = "mnist", Task = "classification", ClassNames = test.ClassNames.ToArray() });
            NpyFile.Write(LogitsPath, Logits);
        }

        public Tensor Logits { get; }
        public double Accuracy { get; }
        public string ModelPath { get; }
        public string LogitsPath { get; }

        public void Dispose() => _temp.Dispose();

        private static int ArgMax(Span<float> row)
        {
            int best = 0;
            for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
            return best;
        }
    }
}
