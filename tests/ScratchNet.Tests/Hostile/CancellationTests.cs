using System.Diagnostics;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Serialization;
using ScratchNet.Tests.Data;
using ScratchNet.Training;
using ScratchNet.Training.Presets;
using static ScratchNet.Tests.Hostile.FaultsSupport;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Nothing waits beyond the reach of Ctrl+C or SIGTERM: an input that could block forever (a FIFO with
/// no writer, a device) is refused before it is opened, the loading of data and checkpoints runs where
/// a cancelled token ends the wait at once, and a signal during training stops at the next batch with
/// exit 130 and the folder unlocked.
/// </summary>
public class CancellationTests
{
    [Fact]
    public void Training_on_a_fifo_with_no_writer_is_refused_at_once()
    {
        // Opening a FIFO waits for a writer, and no signal handler runs inside that wait.
        using var dir = new TempFolder();
        string fifo = MakeFifo(dir.File("f.csv"));
        var clock = Stopwatch.StartNew();
        using var p = StartCli("train", "--dataset", fifo, "--no-plots", "--out", dir.File("run"));
        var result = Finish(p, seconds: 60);
        AssertOneLine(result, 2, $"{fifo}: is empty, or not a regular file (a FIFO or a device, whose reading could block forever)");
        Assert.True(clock.Elapsed.TotalSeconds < 30, $"took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.False(Directory.Exists(dir.File("run")), "the refused run left its output folder");
    }

    [Fact]
    public void A_device_or_an_empty_file_as_data_or_checkpoint_is_refused()
    {
        using var dir = new TempFolder();
        Refused(2, ["train", "--dataset", "/dev/zero", "--no-plots", "--out", dir.File("a")], "/dev/zero: is empty, or not a regular file");
        File.WriteAllText(dir.File("empty.csv"), "");
        Refused(2, ["train", "--dataset", dir.File("empty.csv"), "--no-plots", "--out", dir.File("b")], "empty.csv: is empty, or not a regular file");
        // A checkpoint that is a FIFO: refused before it is opened.
        Directory.CreateDirectory(dir.File("c"));
        MakeFifo(Path.Combine(dir.File("c"), Checkpoint.FileName));
        Refused(2, ["train", "--resume", dir.File("c"), "--no-plots"], $"{Path.Combine(dir.File("c"), Checkpoint.FileName)}: is empty, or not a regular file");
        Assert.Empty(Leftovers(dir.File("c")));
    }

    [Fact]
    public void A_cancelled_token_ends_a_read_blocked_on_a_fifo_in_moments()
    {
        // The mechanism that carries the token into loading, on a read that really blocks: opening a
        // FIFO for reading waits for a writer, and nothing but the token ends that wait.
        using var dir = new TempFolder();
        string fifo = MakeFifo(dir.File("blocks"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => Interruptible.Run(() => File.ReadAllText(fifo), cancel.Token));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.2, 5);
        // Release the abandoned reader: a writer opens the FIFO and closes it at once.
        using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
    }

    [Fact]
    public void Interruptible_work_gives_its_result_or_its_own_error()
    {
        using var cancel = new CancellationTokenSource();
        Assert.Equal(42, Interruptible.Run(() => 42, cancel.Token));
        var e = Assert.Throws<DataFormatException>(() => Interruptible.Run<int>(() => throw new DataFormatException("x.csv", "bad"), cancel.Token));
        Assert.Equal("x.csv: bad", e.Message);
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Interruptible.Run(() => 42, cancel.Token));
    }

    [Fact]
    public void A_job_cancelled_while_loading_leaves_its_folder_unlocked()
    {
        using var dir = new TempFolder();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => TrainingJob.Create(PresetCatalog.Xor, new TrainingJobOptions { OutDir = dir.Path }, cancel.Token));
        Assert.Empty(Directory.GetFiles(dir.Path));
        using var again = TrainingJob.Create(PresetCatalog.Xor, new TrainingJobOptions { OutDir = dir.Path });
        Assert.Equal([RunFolderLock.FileName], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).ToArray());
    }

    [Fact]
    public void Sigterm_during_training_stops_at_the_next_batch_with_exit_130_and_the_folder_unlocked()
    {
        using var dir = new TempFolder();
        using var p = StartCli("train", "spirals", "--epochs", "100000", "--no-plots", "--out", dir.Path);
        WaitForFile(Checkpoint.PathOf(dir.Path)); // training: an epoch is done
        var clock = Stopwatch.StartNew();
        Terminate(p);
        var result = Finish(p, seconds: 60);
        Assert.True(clock.Elapsed.TotalSeconds < 20, $"took {clock.Elapsed.TotalSeconds:F1} s");
        AssertOneLine(result, 130, "interrupted ", $"continue with 'scratchnet train --resume {dir.Path}'");
        Assert.Empty(Leftovers(dir.Path));
        Assert.True(Checkpoint.Load(dir.Path).Epoch >= 1);
    }

    [Fact]
    public void Sigterm_while_the_data_loads_ends_the_run_at_once_with_nothing_written()
    {
        // The lock is taken just before the data loads (MNIST: decompressing and hashing 55 MB, about a
        // second): the signal sent as the lock appears arrives during the loading.
        using var dir = new TempFolder();
        string outDir = dir.File("run");
        using var p = StartCli("train", "mnist-mlp", "--no-plots", "--out", outDir);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(outDir, RunFolderLock.FileName)) && clock.Elapsed.TotalSeconds < 60) Thread.Sleep(2);
        var sent = Stopwatch.StartNew();
        Terminate(p);
        var result = Finish(p, seconds: 60);
        AssertOneLine(result, 130, "interrupted while loading: nothing was trained or written");
        Assert.True(sent.Elapsed.TotalSeconds < 10, $"ended {sent.Elapsed.TotalSeconds:F1} s after the signal");
        Assert.False(Directory.Exists(outDir), "the folder the run created is left");
    }

    [Fact]
    public void A_signal_after_training_skips_the_pictures_and_report_with_exit_130()
    {
        // The signal comes as training returns (the view cancels the token then): the model, metrics and
        // checkpoint are complete; the pictures and report.html are not drawn.
        using var dir = new TempFolder();
        using var cancel = new CancellationTokenSource();
        using (var job = TrainingJob.Create(PresetCatalog.Xor with { Epochs = 3 }, new TrainingJobOptions { OutDir = dir.Path }))
        {
            var e = Assert.Throws<ScratchNet.Cli.CliError>(() => ScratchNet.Cli.Training.TrainRun.Run(job, new SignalAfterTraining(cancel), cancel.Token));
            Assert.Equal(130, e.ExitCode);
            Assert.StartsWith($"interrupted after training: {dir.File(TrainingJob.ModelFileName)}, {dir.File(TrainingJob.MetricsFileName)} and the checkpoint are written", e.Message);
        }
        Assert.Equal([Checkpoint.FileName, TrainingJob.MetricsFileName, TrainingJob.ModelFileName],
            Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    private sealed class SignalAfterTraining(CancellationTokenSource cancel) : ScratchNet.Cli.Progress.IProgressView
    {
        public T Run<T>(string title, int epochs, Func<T> work)
        {
            T result = work();
            cancel.Cancel();
            return result;
        }

        public void EpochStarted(int epoch, int batches) { }
        public void BatchEnded(int epoch, int batch, double loss, double accuracy, double samplesPerSecond) { }
        public void EpochEnded(int epoch, string summary) { }
        public void Note(string message) { }
    }

    private static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
