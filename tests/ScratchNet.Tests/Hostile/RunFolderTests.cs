using System.Diagnostics;
using ScratchNet.IO;
using ScratchNet.Serialization;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using ScratchNet.Training;
using ScratchNet.Training.Presets;
using static ScratchNet.Tests.Hostile.FaultsSupport;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// An output folder belongs to one run at a time: a second run on it is refused at once with one line
/// naming the folder and the process that holds it; the lock goes away when the run ends, however it
/// ends; a lock and the temporary files of a killed run are cleaned by the next run; a folder that
/// cannot be written is refused before anything is trained.
/// </summary>
public class RunFolderTests
{
    private const string Lock = RunFolderLock.FileName;

    [Fact]
    public void Two_runs_on_one_folder_at_once_one_wins_the_other_gets_one_line()
    {
        using var dir = new TempFolder();
        using var first = StartCli("train", "spirals", "--epochs", "100000", "--no-plots", "--out", dir.Path);
        try
        {
            WaitForFile(dir.File(Lock));
            var second = RunCli("train", "spirals", "--epochs", "2", "--no-plots", "--out", dir.Path);
            AssertOneLine(second, 2, $"{dir.Path}: the output folder is in use by another run (process {first.Id}; lock file {Path.Combine(dir.Path, Lock)})");
            Assert.False(File.Exists(dir.File(TrainingJob.ModelFileName)), "the refused run wrote a model");
        }
        finally
        {
            Terminate(first);
        }
        var (code, _, err) = Finish(first);
        Assert.True(code == 130, $"exit {code}: {err}");
        // Released on exit 130 as on any other end: nothing hidden is left.
        Assert.Empty(Leftovers(dir.Path));
        Assert.True(Checkpoint.Exists(dir.Path));
    }

    [Fact]
    public void Runs_started_at_the_same_moment_never_share_a_folder()
    {
        // Four processes race for one folder: exactly one trains (until stopped), the others are refused.
        using var dir = new TempFolder();
        var runs = Enumerable.Range(0, 4).Select(_ => StartCli("train", "spirals", "--epochs", "100000", "--no-plots", "--out", dir.Path)).ToList();
        try
        {
            var clock = Stopwatch.StartNew();
            while (runs.Count(p => p.HasExited) < 3 && clock.Elapsed.TotalSeconds < 90) Thread.Sleep(50);
        }
        finally
        {
            foreach (var p in runs.Where(p => !p.HasExited)) Terminate(p);
        }
        var results = runs.Select(p => Finish(p)).ToList();
        foreach (var p in runs) p.Dispose();
        Assert.Equal(1, results.Count(r => r.Code == 130));
        foreach (var refused in results.Where(r => r.Code != 130))
            AssertOneLine(refused, 2, $"{dir.Path}: the output folder is in use by another run (process ");
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void A_lock_left_by_a_killed_run_is_taken_over_with_a_note()
    {
        using var dir = new TempFolder();
        using (var killed = StartCli("train", "spirals", "--epochs", "100000", "--no-plots", "--out", dir.Path))
        {
            WaitForFile(Checkpoint.PathOf(dir.Path)); // training, the lock written long since
            killed.Kill(); // SIGKILL: no chance to release anything
            killed.WaitForExit();
            Assert.True(File.Exists(dir.File(Lock)));
            string output = CliRunner.Ok("train", "spirals", "--epochs", "2", "--no-plots", "--plain", "--out", dir.Path);
            Assert.Contains($"took over {Path.Combine(dir.Path, Lock)}: the run that held it (process {killed.Id}) is no longer running", output);
        }
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void Temporary_files_of_dead_writers_are_deleted_under_the_lock_and_those_of_live_ones_kept()
    {
        using var dir = new TempFolder();
        int dead = DeadProcessId();
        // What a checkpoint write cut short by kill -9 leaves: a hidden temporary file named with the writer's pid.
        string abandoned = dir.File($".checkpoint.safetensors.scratchnet-{dead}-7.tmp");
        File.WriteAllBytes(abandoned, new byte[8 << 20]);
        string live = dir.File($".report.html.scratchnet-{Environment.ProcessId}-1.tmp");
        File.WriteAllText(live, "being written");
        string foreign = dir.File(".notes.tmp");
        File.WriteAllText(foreign, "someone else's");
        File.WriteAllText(dir.File(Lock), $"{dead}\n-\n1\n");

        string output = CliRunner.Ok("train", "xor", "--epochs", "2", "--no-plots", "--plain", "--out", dir.Path);
        Assert.Contains($"the run that held it (process {dead}) is no longer running", output);
        Assert.Contains($"deleted 1 temporary file (8.0 MiB) that killed runs had left in {dir.Path}", output);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(foreign));
        Assert.Equal([".notes.tmp", Path.GetFileName(live)], Leftovers(dir.Path));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_read_only_output_folder_fails_at_once_with_one_line()
    {
        using var dir = new TempFolder();
        string readOnly = dir.File("read-only");
        Directory.CreateDirectory(readOnly);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        // Root writes into a read-only folder anyway; /sys refuses new files to everyone.
        if (CanWrite(readOnly)) readOnly = "/sys";
        var clock = Stopwatch.StartNew();
        Refused(2, ["train", "mnist-mlp", "--epochs", "1", "--no-plots", "--out", readOnly], $"{readOnly}: the output folder is not writable (permission denied)");
        Assert.True(clock.Elapsed.TotalSeconds < 20, $"refused only after {clock.Elapsed.TotalSeconds:F1} s");
        File.SetUnixFileMode(dir.File("read-only"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Empty(Directory.GetFiles(dir.File("read-only")));

        // A folder that cannot even be created: its parent is a file.
        File.WriteAllText(dir.File("a-file"), "");
        Refused(2, ["train", "xor", "--epochs", "1", "--no-plots", "--out", dir.File("a-file/run")], $"{dir.File("a-file/run")}: cannot create the output folder");
    }

    [Fact]
    public void Two_jobs_of_one_process_cannot_share_a_folder_and_disposing_frees_it()
    {
        using var dir = new TempFolder();
        var recipe = PresetCatalog.Xor with { Epochs = 1 };
        using (var first = TrainingJob.Create(recipe, new TrainingJobOptions { OutDir = dir.Path }))
        {
            var e = Assert.Throws<RunFolderException>(() => TrainingJob.Create(recipe, new TrainingJobOptions { OutDir = dir.Path + "/" }));
            Assert.Equal(Environment.ProcessId, e.OwnerProcessId);
            Assert.Contains("in use by another training job in this process", e.Message);
            // The same folder by another path (a symbolic link) is the same lock file.
            string link = dir.Path + "-link";
            Directory.CreateSymbolicLink(link, dir.Path);
            try { Assert.Throws<RunFolderException>(() => TrainingJob.Create(recipe, new TrainingJobOptions { OutDir = link })); }
            finally { Directory.Delete(link); }
            first.Run();
        }
        Assert.Empty(Leftovers(dir.Path));
        using var again = TrainingJob.Create(recipe, new TrainingJobOptions { OutDir = dir.Path });
        Assert.True(File.Exists(dir.File(Lock)));
    }

    [Fact]
    public void The_lock_is_released_after_an_error_and_after_an_interruption()
    {
        using var dir = new TempFolder();
        Refused(3, ["train", "tv-marketing", "--lr", "100", "--no-plots", "--out", dir.Path], "Training diverged");
        Assert.Empty(Leftovers(dir.Path));
        Refused(130, ["train", "xor", "--epochs", "5", "--no-plots", "--out", dir.Path, "--stop-after-batches", "2"], "stopped by --stop-after-batches");
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void Resuming_from_the_checkpoint_file_itself_locks_and_writes_the_folder_that_holds_it()
    {
        // The folder to lock and write is the one that holds the file, not the file's path.
        using var dir = new TempFolder();
        Refused(130, ["train", "xor", "--epochs", "3", "--no-plots", "--out", dir.Path, "--stop-after-batches", "1"], "stopped by --stop-after-batches");
        CliRunner.Ok("train", "--resume", Checkpoint.PathOf(dir.Path), "--no-plots");
        Assert.True(File.Exists(dir.File(TrainingJob.ModelFileName)));
        Assert.Equal(3, Checkpoint.Load(dir.Path).Epoch);
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void A_hostile_lock_file_is_read_in_bounded_memory()
    {
        // 64 MB of digits: read as at most 256 bytes, which name no process, so the lock is taken over.
        using var dir = new TempFolder();
        using (var f = new FileStream(dir.File(Lock), FileMode.CreateNew))
        {
            var digits = Enumerable.Repeat((byte)'7', 1 << 20).ToArray();
            for (int i = 0; i < 64; i++) f.Write(digits);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var held = RunFolderLock.Acquire(dir.Path))
        {
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
            Assert.Contains($"took over {Path.Combine(dir.Path, Lock)}, which named no process", held.Notes);
        }
        Assert.Empty(Leftovers(dir.Path));
    }

    private static bool CanWrite(string dir)
    {
        string probe = Path.Combine(dir, "probe");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException) { return false; }
    }
}
