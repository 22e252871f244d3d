using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ScratchNet.Threading;

namespace ScratchNet.Cli.Benchmarking;

/// <summary>
/// The machine's memory bandwidth for the three access patterns of the element-wise parts of a
/// training step: a read stream (Σ x, as a column sum reads), a write stream (x ← c, as an output
/// written from registers) and a read-modify-write stream (x ← a·x + b, as Adam's θ, m and v), on
/// one array of a given size, split over threads in contiguous ranges. GB/s counts the bytes the
/// loop asks for: 4 per element read or written, 8 for read-modify-write (a write stream that misses
/// the caches also reads each line before writing it, which is not counted).
/// </summary>
public static class MemoryBenchmark
{
    /// <summary>The access patterns.</summary>
    public enum Stream
    {
        /// <summary>s = Σ x.</summary>
        Read,
        /// <summary>x ← c.</summary>
        Write,
        /// <summary>x ← a·x + b.</summary>
        ReadModifyWrite,
    }

    /// <summary>The default array sizes in bytes: within L2, within L3, and beyond the L3 (32 MiB per Zen 4/5 CCD).</summary>
    public static IReadOnlyList<long> StandardSizes { get; } = [256L << 10, 4L << 20, 16L << 20, 128L << 20, 512L << 20];

    /// <summary>One timing: GB/s from the median and the best repetition.</summary>
    public sealed record Result(Stream Stream, long Bytes, int Threads, double MedianSeconds, double BestSeconds)
    {
        /// <summary>Bytes the loop reads and writes per pass.</summary>
        public double Traffic => Stream == Stream.ReadModifyWrite ? 2.0 * Bytes : Bytes;

        /// <summary>Traffic / median seconds, in 10⁹ bytes per second.</summary>
        public double GBps => Traffic / MedianSeconds / 1e9;

        /// <summary>Traffic / best seconds.</summary>
        public double BestGBps => Traffic / BestSeconds / 1e9;

        /// <summary>One JSON object on one line.</summary>
        public string ToJson() => string.Create(CultureInfo.InvariantCulture,
            $"{{\"stream\": \"{Name(Stream)}\", \"bytes\": {Bytes}, \"threads\": {Threads}, \"gbps\": {GBps:F2}, \"best_gbps\": {BestGBps:F2}, \"seconds\": {MedianSeconds:E4}}}");
    }

    /// <summary>"read", "write" or "read-modify-write".</summary>
    public static string Name(Stream stream) => stream switch
    {
        Stream.Read => "read",
        Stream.Write => "write",
        _ => "read-modify-write",
    };

    /// <summary>
    /// Times <paramref name="stream"/> over an array of <paramref name="bytes"/> bytes on
    /// <paramref name="threads"/> threads, one pass at a time after a warm-up pass: at least
    /// <paramref name="repetitions"/> passes and as many as fill about 100 ms (at most 100,000), each
    /// timed alone, so that the best pass of a small array is one the scheduler did not interrupt.
    /// The median and the best pass are kept.
    /// </summary>
    public static Result Measure(Stream stream, long bytes, int threads, int repetitions)
    {
        var work = new Pass(stream, checked((int)(bytes / sizeof(float))));
        int parts = threads; // one contiguous range per thread: each core streams its own pages
        var clock = Stopwatch.StartNew();
        WorkerPool.Run(work, parts, threads); // first touch and warm-up
        double first = clock.Elapsed.TotalSeconds;
        int count = (int)Math.Clamp(0.1 / Math.Max(first, 1e-7), repetitions, Math.Max(repetitions, 100_000));
        var seconds = new double[count];
        for (int r = 0; r < count; r++)
        {
            long start = Stopwatch.GetTimestamp();
            WorkerPool.Run(work, parts, threads);
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        GC.KeepAlive(work.Sink);
        Array.Sort(seconds);
        return new Result(stream, bytes, threads, seconds[count / 2], seconds[0]);
    }

    /// <summary>One pass of a stream over the array, one contiguous range per part.</summary>
    private sealed class Pass(Stream stream, int length) : IPartitionedWork
    {
        private readonly float[] _data = GC.AllocateUninitializedArray<float>(length, pinned: false);
        private readonly float[] _sinks = new float[64 * 16]; // one cache line apart per part

        public float Sink => _sinks.Sum();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised from the first pass: no slow tier-0 timings
        public void RunPart(int index, int parts)
        {
            int vectors = _data.Length / Vector512<float>.Count;
            int start = (int)((long)vectors * index / parts) * Vector512<float>.Count;
            int end = (int)((long)vectors * (index + 1) / parts) * Vector512<float>.Count;
            var span = MemoryMarshal.Cast<float, Vector512<float>>(_data.AsSpan(start, end - start));
            switch (stream)
            {
                case Stream.Read:
                    {
                        // Four accumulators: the adds' latency does not limit the stream.
                        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                        ref Vector512<float> v = ref MemoryMarshal.GetReference(span);
                        int i = 0;
                        for (; i + 4 <= span.Length; i += 4)
                        {
                            s0 += Unsafe.Add(ref v, i); s1 += Unsafe.Add(ref v, i + 1);
                            s2 += Unsafe.Add(ref v, i + 2); s3 += Unsafe.Add(ref v, i + 3);
                        }
                        for (; i < span.Length; i++) s0 += Unsafe.Add(ref v, i);
                        _sinks[(index % 16) * 64] += Vector512.Sum(s0 + s1 + s2 + s3);
                        break;
                    }
                case Stream.Write:
                    {
                        var one = Vector512.Create(1f);
                        ref Vector512<float> v = ref MemoryMarshal.GetReference(span);
                        for (int i = 0; i < span.Length; i++) Unsafe.Add(ref v, i) = one;
                        break;
                    }
                default:
                    {
                        var a = Vector512.Create(0.5f);
                        var b = Vector512.Create(0.25f); // x ← x/2 + 1/4 converges to 1/2: no overflow, no subnormals
                        ref Vector512<float> v = ref MemoryMarshal.GetReference(span);
                        for (int i = 0; i < span.Length; i++) Unsafe.Add(ref v, i) = Unsafe.Add(ref v, i) * a + b;
                        break;
                    }
            }
        }
    }
}
