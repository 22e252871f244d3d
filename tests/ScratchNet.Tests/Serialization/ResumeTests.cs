using System.Diagnostics;
using ScratchNet.Serialization;
using ScratchNet.Tests.Data;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// Resume equivalence with real processes: n epochs straight vs. a run killed (SIGKILL, or stopped
/// by SIGTERM mid-epoch) and resumed from its checkpoint: the final weights are bit-identical.
/// </summary>
public class ResumeTests(ITestOutputHelper output)
{
    private const int Epochs = 6;

    private (int Code, string Out) Run(params string[] args)
    {
        using var p = Process.Start(ResumeChild.Start(args))!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        output.WriteLine($"child {string.Join(' ', args)} -> {p.ExitCode}: {stdout.Trim().Replace('\n', '|')} {stderr}");
        return (p.ExitCode, stdout);
    }

    /// <summary>Starts a slow child and stops it (signal) once it has printed <paramref name="trigger"/>.</summary>
    private void RunAndStop(string dir, string trigger, Action<Process> stop, params string[] extra)
    {
        using var p = Process.Start(ResumeChild.Start([dir, Epochs.ToString(), "--slow", "15", .. extra]))!;
        string? line;
        var seen = new List<string>();
        while ((line = p.StandardOutput.ReadLine()) != null)
        {
            seen.Add(line);
            if (line.StartsWith(trigger, StringComparison.Ordinal)) { stop(p); break; }
        }
        seen.Add(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        output.WriteLine($"stopped child -> {p.ExitCode}: {string.Join('|', seen)}");
        Assert.DoesNotContain("done", seen);
    }

    private static int[] FinalBits(string dir)
    {
        var (model, _) = ModelFile.Load(Path.Combine(dir, "final.safetensors"));
        return ModelTensors.Collect(model).SelectMany(t => TestModels.Bits(t.Value)).ToArray();
    }

    [Fact]
    [Trait("Category", "Resume")]
    public void KilledBySigkillThenResumedMatchesAStraightRun()
    {
        using var straight = new TempFolder();
        using var killed = new TempFolder();
        Assert.Equal(0, Run(straight.Path, Epochs.ToString()).Code);

        RunAndStop(killed.Path, "saved 2 ", p => p.Kill()); // Process.Kill = SIGKILL on Unix: no chance to clean up
        int savedEpoch = Checkpoint.Load(killed.Path).Epoch;
        Assert.InRange(savedEpoch, 2, Epochs - 1);

        var (code, text) = Run(killed.Path, Epochs.ToString(), "--resume");
        Assert.Equal(0, code);
        Assert.Contains($"resumed {savedEpoch} 0", text);
        Assert.Equal(FinalBits(straight.Path), FinalBits(killed.Path));
    }

    [Fact]
    [Trait("Category", "Resume")]
    public void StoppedBySigtermMidEpochThenResumedMatchesAStraightRun()
    {
        using var straight = new TempFolder();
        using var stopped = new TempFolder();
        Assert.Equal(0, Run(straight.Path, Epochs.ToString()).Code);

        RunAndStop(stopped.Path, "saved 1 ", p =>
        {
            Thread.Sleep(100); // land inside epoch 2
            using var kill = Process.Start("kill", ["-TERM", p.Id.ToString()]);
            kill.WaitForExit();
        });
        var state = Checkpoint.Load(stopped.Path);
        output.WriteLine($"checkpoint at epoch {state.Epoch}, batch {state.BatchInEpoch}");

        var (code, text) = Run(stopped.Path, Epochs.ToString(), "--resume");
        Assert.Equal(0, code);
        Assert.Contains($"resumed {state.Epoch} {state.BatchInEpoch}", text);
        Assert.Equal(FinalBits(straight.Path), FinalBits(stopped.Path));
    }

    [Fact]
    [Trait("Category", "Resume")]
    public void TrainerKilledBySigkillThenResumedMatchesAStraightRun()
    {
        using var straight = new TempFolder();
        using var killed = new TempFolder();
        Assert.Equal(0, Run(straight.Path, Epochs.ToString(), "--trainer").Code);

        RunAndStop(killed.Path, "saved 2 ", p => p.Kill(), "--trainer");
        int savedEpoch = Checkpoint.Load(killed.Path).Epoch;
        Assert.InRange(savedEpoch, 2, Epochs - 1);

        var (code, _) = Run(killed.Path, Epochs.ToString(), "--trainer", "--resume");
        Assert.Equal(0, code);
        Assert.Equal(FinalBits(straight.Path), FinalBits(killed.Path));
    }

    [Fact]
    [Trait("Category", "Resume")]
    public void TrainerStoppedBySigtermMidEpochThenResumedMatchesAStraightRun()
    {
        using var straight = new TempFolder();
        using var stopped = new TempFolder();
        Assert.Equal(0, Run(straight.Path, Epochs.ToString(), "--trainer").Code);

        RunAndStop(stopped.Path, "saved 1 ", p =>
        {
            Thread.Sleep(100); // land inside epoch 2 (17 batches of 15 ms)
            using var kill = Process.Start("kill", ["-TERM", p.Id.ToString()]);
            kill.WaitForExit();
        }, "--trainer");
        var state = Checkpoint.Load(stopped.Path);
        output.WriteLine($"checkpoint at epoch {state.Epoch}, batch {state.BatchInEpoch}");
        Assert.True(state.BatchInEpoch > 0, "the checkpoint should be inside an epoch");

        var (code, _) = Run(stopped.Path, Epochs.ToString(), "--trainer", "--resume");
        Assert.Equal(0, code);
        Assert.Equal(FinalBits(straight.Path), FinalBits(stopped.Path));
    }
}
