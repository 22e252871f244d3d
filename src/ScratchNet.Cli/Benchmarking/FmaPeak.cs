using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Cli.Benchmarking;

/// <summary>
/// The machine's float32 fused-multiply-add peak, measured rather than assumed: each thread runs
/// <see cref="Chains"/> independent chains <c>acc_i = acc_i * m + d</c> on the widest vectors the GEMM's
/// micro-kernel uses (Vector512, else Vector256, else scalar), so no FMA waits for another and the
/// FMA units are the only limit. GFLOP/s = 2 · lanes · chains · iterations · threads / seconds.
/// </summary>
/// <remarks>
/// Sixteen chains cover an FMA latency of 4 cycles on two FMA pipes (8 in flight) twice over, and with
/// the two constants they fit the 32 vector registers of AVX-512, so the loop does no load or store.
/// Threads are dedicated ones started together behind a barrier; the time is from the earliest start
/// to the latest finish, so a thread that waits for a core lowers the figure, as it would the GEMM's.
/// </remarks>
public static class FmaPeak
{
    /// <summary>Independent accumulators per thread.</summary>
    public const int Chains = 16;

    /// <summary>The vectors the probe runs on, in words (e.g. "Vector512"), for reports.</summary>
    public static string VectorKind => Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "Vector512"
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? "Vector256" : "scalar";

    private static int Lanes => VectorKind switch { "Vector512" => 16, "Vector256" => 8, _ => 1 };

    /// <summary>
    /// The best GFLOP/s of <paramref name="repetitions"/> timings of about <paramref name="seconds"/> each,
    /// on <paramref name="threads"/> threads at once. The best, not the median: a peak is what the
    /// hardware can do, and on a shared machine every disturbance only lowers a timing.
    /// </summary>
    /// <param name="threads">Threads running the chains at the same time (at least 1).</param>
    /// <param name="repetitions">Timings taken (at least 1).</param>
    /// <param name="seconds">Length of one timing.</param>
    /// <param name="cpuTime">Time with the process's CPU time (one thread only), as <c>bench gemm --cpu-time</c> does.</param>
    public static double Measure(int threads, int repetitions = 5, double seconds = 0.02, bool cpuTime = false)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"threads must be at least 1 (got {threads}).");
        if (repetitions < 1) throw new ArgumentOutOfRangeException(nameof(repetitions), $"repetitions must be at least 1 (got {repetitions}).");
        if (cpuTime && threads != 1) throw new ArgumentException($"CPU-time measurement needs threads = 1 (got {threads}).", nameof(threads));
        double flopsPerIteration = 2.0 * Lanes * Chains;

        // Calibrate on this thread (which also compiles the leaf): iterations for about `seconds`.
        long probe = 1 << 16;
        double elapsed;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            Run(probe);
            elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (elapsed > 0.002 || probe > 1L << 34) break;
            probe *= 4;
        }
        long iterations = Math.Max(1, (long)(probe * seconds / Math.Max(elapsed, 1e-9)));

        double best = 0;
        for (int r = 0; r < repetitions; r++)
        {
            double s = threads == 1 ? TimeOnThisThread(iterations, cpuTime) : TimeOnThreads(iterations, threads);
            best = Math.Max(best, flopsPerIteration * iterations * threads / s / 1e9);
        }
        return best;
    }

    private static double TimeOnThisThread(long iterations, bool cpuTime)
    {
        if (cpuTime)
        {
            double c0 = Environment.CpuUsage.TotalTime.TotalSeconds;
            Run(iterations);
            return Math.Max(1e-9, Environment.CpuUsage.TotalTime.TotalSeconds - c0);
        }
        long t0 = Stopwatch.GetTimestamp();
        Run(iterations);
        return Math.Max(1e-9, Stopwatch.GetElapsedTime(t0).TotalSeconds);
    }

    private static double TimeOnThreads(long iterations, int threads)
    {
        var starts = new long[threads];
        var stops = new long[threads];
        using var barrier = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                barrier.SignalAndWait();
                starts[index] = Stopwatch.GetTimestamp();
                Run(iterations);
                stops[index] = Stopwatch.GetTimestamp();
            }) { IsBackground = true, Name = "FMA peak probe" };
            workers[t].Start();
        }
        foreach (var w in workers) w.Join();
        return Math.Max(1e-9, (stops.Max() - starts.Min()) / (double)Stopwatch.Frequency);
    }

    private static float Run(long iterations) => VectorKind switch
    {
        "Vector512" => Chains512(iterations),
        "Vector256" => Chains256(iterations),
        _ => ChainsScalar(iterations),
    };

    // The leaves: no calls inside, or the JIT keeps the accumulators on the stack. acc * m + d with
    // m < 1 converges to d / (1 - m), so the values stay finite and normal however long it runs.
    // The result is returned so the JIT cannot drop the loop.

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Chains512(long iterations)
    {
        Vector512<float> m = Vector512.Create(0.999f), d = Vector512.Create(0.001f);
        Vector512<float> c0 = Vector512.Create(0.0f), c1 = Vector512.Create(0.1f), c2 = Vector512.Create(0.2f), c3 = Vector512.Create(0.3f);
        Vector512<float> c4 = Vector512.Create(0.4f), c5 = Vector512.Create(0.5f), c6 = Vector512.Create(0.6f), c7 = Vector512.Create(0.7f);
        Vector512<float> c8 = Vector512.Create(0.8f), c9 = Vector512.Create(0.9f), c10 = Vector512.Create(1.0f), c11 = Vector512.Create(1.1f);
        Vector512<float> c12 = Vector512.Create(1.2f), c13 = Vector512.Create(1.3f), c14 = Vector512.Create(1.4f), c15 = Vector512.Create(1.5f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, d); c1 = Vector512.FusedMultiplyAdd(c1, m, d);
            c2 = Vector512.FusedMultiplyAdd(c2, m, d); c3 = Vector512.FusedMultiplyAdd(c3, m, d);
            c4 = Vector512.FusedMultiplyAdd(c4, m, d); c5 = Vector512.FusedMultiplyAdd(c5, m, d);
            c6 = Vector512.FusedMultiplyAdd(c6, m, d); c7 = Vector512.FusedMultiplyAdd(c7, m, d);
            c8 = Vector512.FusedMultiplyAdd(c8, m, d); c9 = Vector512.FusedMultiplyAdd(c9, m, d);
            c10 = Vector512.FusedMultiplyAdd(c10, m, d); c11 = Vector512.FusedMultiplyAdd(c11, m, d);
            c12 = Vector512.FusedMultiplyAdd(c12, m, d); c13 = Vector512.FusedMultiplyAdd(c13, m, d);
            c14 = Vector512.FusedMultiplyAdd(c14, m, d); c15 = Vector512.FusedMultiplyAdd(c15, m, d);
        }
        Vector512<float> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
        return sum.GetElement(0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float Chains256(long iterations)
    {
        Vector256<float> m = Vector256.Create(0.999f), d = Vector256.Create(0.001f);
        Vector256<float> c0 = Vector256.Create(0.0f), c1 = Vector256.Create(0.1f), c2 = Vector256.Create(0.2f), c3 = Vector256.Create(0.3f);
        Vector256<float> c4 = Vector256.Create(0.4f), c5 = Vector256.Create(0.5f), c6 = Vector256.Create(0.6f), c7 = Vector256.Create(0.7f);
        Vector256<float> c8 = Vector256.Create(0.8f), c9 = Vector256.Create(0.9f), c10 = Vector256.Create(1.0f), c11 = Vector256.Create(1.1f);
        Vector256<float> c12 = Vector256.Create(1.2f), c13 = Vector256.Create(1.3f), c14 = Vector256.Create(1.4f), c15 = Vector256.Create(1.5f);
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, d); c1 = Vector256.FusedMultiplyAdd(c1, m, d);
            c2 = Vector256.FusedMultiplyAdd(c2, m, d); c3 = Vector256.FusedMultiplyAdd(c3, m, d);
            c4 = Vector256.FusedMultiplyAdd(c4, m, d); c5 = Vector256.FusedMultiplyAdd(c5, m, d);
            c6 = Vector256.FusedMultiplyAdd(c6, m, d); c7 = Vector256.FusedMultiplyAdd(c7, m, d);
            c8 = Vector256.FusedMultiplyAdd(c8, m, d); c9 = Vector256.FusedMultiplyAdd(c9, m, d);
            c10 = Vector256.FusedMultiplyAdd(c10, m, d); c11 = Vector256.FusedMultiplyAdd(c11, m, d);
            c12 = Vector256.FusedMultiplyAdd(c12, m, d); c13 = Vector256.FusedMultiplyAdd(c13, m, d);
            c14 = Vector256.FusedMultiplyAdd(c14, m, d); c15 = Vector256.FusedMultiplyAdd(c15, m, d);
        }
        Vector256<float> sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
        return sum.GetElement(0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static float ChainsScalar(long iterations)
    {
        float m = 0.999f, d = 0.001f;
        float c0 = 0.0f, c1 = 0.1f, c2 = 0.2f, c3 = 0.3f, c4 = 0.4f, c5 = 0.5f, c6 = 0.6f, c7 = 0.7f;
        float c8 = 0.8f, c9 = 0.9f, c10 = 1.0f, c11 = 1.1f, c12 = 1.2f, c13 = 1.3f, c14 = 1.4f, c15 = 1.5f;
        for (long i = 0; i < iterations; i++)
        {
            c0 = c0 * m + d; c1 = c1 * m + d; c2 = c2 * m + d; c3 = c3 * m + d;
            c4 = c4 * m + d; c5 = c5 * m + d; c6 = c6 * m + d; c7 = c7 * m + d;
            c8 = c8 * m + d; c9 = c9 * m + d; c10 = c10 * m + d; c11 = c11 * m + d;
            c12 = c12 * m + d; c13 = c13 * m + d; c14 = c14 * m + d; c15 = c15 * m + d;
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
    }
}
