using System.Runtime.InteropServices;

namespace ScratchNet.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into a <see cref="CancellationToken"/> so a training loop can
/// finish its batch, save a checkpoint and exit cleanly instead of dying mid-write. A second
/// signal is not intercepted: the process ends at once (the previous checkpoint is intact, since
/// checkpoints are written atomically).
/// </summary>
/// <example>
/// <code>
/// using var shutdown = ShutdownSignal.Register();
/// for (...) { if (shutdown.Token.IsCancellationRequested) { Checkpoint.Save(dir, state); return 130; } ... }
/// </code>
/// </example>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly ConsoleCancelEventHandler _cancelKeyPress;
    private int _signals;

    private ShutdownSignal()
    {
        _cancelKeyPress = (_, e) => e.Cancel = Request("SIGINT");
        Console.CancelKeyPress += _cancelKeyPress;
        // SIGINT arrives through Console.CancelKeyPress (which .NET itself builds on a SIGINT
        // registration); registering SIGINT here too would count one Ctrl+C twice.
        try
        {
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => ctx.Cancel = Request("SIGTERM")));
        }
        catch (PlatformNotSupportedException) { }
    }

    /// <summary>Starts listening for SIGINT/SIGTERM (dispose to stop).</summary>
    public static ShutdownSignal Register() => new();

    /// <summary>Cancelled when a shutdown signal arrives.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Whether a shutdown was requested.</summary>
    public bool IsRequested => _cts.IsCancellationRequested;

    /// <summary>The signal received ("SIGINT", "SIGTERM", or "request"), or null.</summary>
    public string? Reason { get; private set; }

    /// <summary>Requests a shutdown from code (tests, a UI button).</summary>
    public void RequestShutdown() => Request("request");

    /// <summary>Returns whether to keep the process alive (true for the first signal).</summary>
    private bool Request(string reason)
    {
        if (Interlocked.Increment(ref _signals) == 1)
        {
            Reason = reason;
            try { _cts.Cancel(); } catch (ObjectDisposedException) { }
            return true;
        }
        return false;
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _cancelKeyPress;
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
