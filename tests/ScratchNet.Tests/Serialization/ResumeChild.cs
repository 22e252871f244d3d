using System.Diagnostics;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// Builds (once per test run) a tiny console program that trains a small model with checkpoints,
/// so tests can kill a real process (SIGKILL, SIGTERM) and resume it. The program references the
/// ScratchNet.dll (and, for its Ctrl+C handler, ScratchNet.Cli.dll) next to the tests; its source is below.
/// </summary>
internal static class ResumeChild
{
    private static readonly Lazy<string> s_dll = new(Build);

    /// <summary>The built child's dll (run with `dotnet DLL args`).</summary>
    public static string Dll => s_dll.Value;

    public static ProcessStartInfo Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Dll, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DOTNET_TieredPGO"] = "0";
        return psi;
    }

    private static string Build()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"scratchnet-resume-child-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        string lib = Path.Combine(AppContext.BaseDirectory, "ScratchNet.dll");
        string cli = Path.Combine(AppContext.BaseDirectory, "ScratchNet.Cli.dll"); // ShutdownSignal, the Ctrl+C/SIGTERM handler
        File.WriteAllText(Path.Combine(dir, "child.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings><InvariantGlobalization>true</InvariantGlobalization><AssemblyName>resume-child</AssemblyName></PropertyGroup>
              <ItemGroup><Reference Include="{lib}" /><Reference Include="{cli}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), Source);
        var psi = new ProcessStartInfo("dotnet", ["build", "-c", "Release", "-o", Path.Combine(dir, "out"), "--nologo", "-v", "q", Path.Combine(dir, "child.csproj")])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        using var p = Process.Start(psi)!;
        string log = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("Building the resume child failed: " + log);
        return Path.Combine(dir, "out", "resume-child.dll");
    }

    /// <summary>
    /// args: DIR EPOCHS [--resume] [--slow MS] [--trainer]. With --trainer: the project's Trainer
    /// (CheckpointDir + Resume) on spirals with Adam, a cosine schedule, dropout and a validation split;
    /// on SIGTERM/Ctrl+C its Fit stops at the batch (cancellation token), saves a checkpoint there and
    /// the child prints "stopped E B" and exits 143.
    /// Otherwise: Trains Dense(16)-ReLU-Dropout-Dense(2) on moons with
    /// momentum SGD, checkpointing to DIR after every epoch; on SIGTERM/Ctrl+C it checkpoints at the
    /// current batch and exits 143; at the end writes DIR/final.safetensors. Prints "saved E B" lines.
    /// </summary>
    private const string Source = """
        using ScratchNet;
        using ScratchNet.Cli;
        using ScratchNet.Data;
        using ScratchNet.Layers;
        using ScratchNet.Layers.Activations;
        using ScratchNet.Losses;
        using ScratchNet.Models;
        using ScratchNet.Serialization;
        using ScratchNet.Tensors;
        using ScratchNet.Training;
        using ScratchNet.Training.Schedules;

        string dir = args[0];
        int epochs = int.Parse(args[1]);
        bool resume = args.Contains("--resume");
        int slow = args.Contains("--slow") ? int.Parse(args[Array.IndexOf(args, "--slow") + 1]) : 0;
        if (args.Contains("--trainer")) return RunTrainer(dir, epochs, resume, slow);
        using var shutdown = ShutdownSignal.Register();

        var train = new DatasetManager().Load("moons", new DatasetLoadOptions { Seed = 3, Count = 512 }).Train;
        var model = new Sequential(new Dense(16), new ReLU(), new Dropout(0.1f), new Dense(2)).Build([2], 1);
        var opt = new Momentum(0.1f);
        var loss = new SoftmaxCrossEntropy();
        var shuffle = new Rng(7);
        int batch = 32, n = train.Count, batches = n / batch;
        int startEpoch = 0; long skip = 0;
        if (resume && Checkpoint.Exists(dir))
        {
            var s = Checkpoint.Load(dir);
            s.RestoreModel(model); s.RestoreOptimizer(opt); s.RestoreRng("shuffle", shuffle);
            startEpoch = s.Epoch; skip = s.BatchInEpoch;
            Console.WriteLine($"resumed {startEpoch} {skip}");
        }
        var x = new Tensor(batch, 2); var y = new Tensor(batch);
        for (int epoch = startEpoch + 1; epoch <= epochs; epoch++)
        {
            var atEpochStart = shuffle.GetState();
            var order = shuffle.Permutation(n);
            for (int b = (int)skip; b < batches; b++)
            {
                if (shutdown.IsRequested)
                {
                    var s = CheckpointState.Capture(model, opt, new Dictionary<string, Rng> { ["shuffle"] = Restored(atEpochStart) }, epoch - 1, b);
                    Checkpoint.Save(dir, s);
                    Console.WriteLine($"saved {epoch - 1} {b} on {shutdown.Reason}");
                    return 143;
                }
                train.CopyBatch(order.AsSpan(b * batch, batch), x, y);
                loss.Forward(model.Forward(x, training: true), y);
                model.Backward(loss.Backward());
                opt.Step(model.Parameters);
                if (slow > 0) Thread.Sleep(slow);
            }
            skip = 0;
            Checkpoint.Save(dir, CheckpointState.Capture(model, opt, new Dictionary<string, Rng> { ["shuffle"] = shuffle }, epoch));
            Console.WriteLine($"saved {epoch} 0");
        }
        ModelFile.Save(Path.Combine(dir, "final.safetensors"), model);
        Console.WriteLine("done");
        return 0;

        static Rng Restored(ulong[] state) { var r = new Rng(1); r.SetState(state); return r; }

        // The project's Trainer with its own checkpoints (CheckpointDir/Resume): Adam, a cosine
        // schedule, dropout and a validation split, so every kind of state must survive the kill.
        static int RunTrainer(string dir, int epochs, bool resume, int slow)
        {
            var data = new DatasetManager().Load("spirals", new DatasetLoadOptions { Seed = 3, Count = 600 });
            var model = new Sequential(new Dense(32), new ReLU(), new Dropout(0.1f), new Dense(3));
            var trainer = new Trainer(model, new TrainerOptions
            {
                Loss = new SoftmaxCrossEntropy(), Optimizer = new ScratchNet.Optimizers.Adam(0.01f), Epochs = epochs, BatchSize = 32,
                Seed = 5, ValidationSplit = 0.1, Schedule = new CosineAnnealingSchedule(epochs), CheckpointDir = dir, Resume = resume,
            });
            using var shutdown = ShutdownSignal.Register();
            try { trainer.Fit(data.Train, new Printer(slow), shutdown.Token); }
            catch (TrainingInterruptedException e)
            {
                Console.WriteLine($"stopped {e.Epoch - 1} {e.Position.Batch}");
                return 143;
            }
            if (resume) Console.WriteLine("resumed");
            ModelFile.Save(Path.Combine(dir, "final.safetensors"), model);
            Console.WriteLine("done");
            return 0;
        }

        sealed class Printer(int slow) : ITrainingObserver
        {
            public void OnEpochEnd(EpochMetrics m) => Console.WriteLine($"saved {m.Epoch} 0");
            public void OnBatchEnd(in BatchProgress p) { if (slow > 0) Thread.Sleep(slow); }
        }

        /// <summary>Heavy-ball momentum: v = 0.9 v + g; w -= lr v.</summary>
        sealed class Momentum(float lr) : ScratchNet.Optimizers.Optimizer(lr)
        {
            private Tensor[] _v = [];
            public override void Step(IReadOnlyList<Parameter> ps)
            {
                if (_v.Length == 0) _v = ps.Select(p => new Tensor(p.Value.ShapeArray())).ToArray();
                for (int i = 0; i < ps.Count; i++)
                {
                    var v = _v[i].Span; var g = ps[i].Gradient.Span; var w = ps[i].Value.Span;
                    for (int j = 0; j < v.Length; j++) { v[j] = 0.9f * v[j] + g[j]; w[j] -= LearningRate * v[j]; }
                }
                StepCount++;
            }
            public override IReadOnlyList<(string Name, Tensor Value)> GetState() => _v.Select((v, i) => ($"p{i}.v", v)).ToArray();
            public override void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
            {
                _v = Enumerable.Range(0, state.Count).Select(i => state[$"p{i}.v"].Clone()).ToArray();
                StepCount = stepCount;
            }
        }
        """;
}
