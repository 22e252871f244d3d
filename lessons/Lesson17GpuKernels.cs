using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 17. A GPU runs one small function, a kernel, on thousands of threads at once; each thread
/// finds its own piece of work from its index. Three kernels written by hand with ILGPU (C# compiled to
/// the GPU's code): an element-wise kernel, a naive matrix product, and a tiled matrix product that
/// shares each value read from global memory among a whole group of threads. They run on ILGPU's CPU
/// accelerator (a GPU simulated with CPU threads, so the lesson runs anywhere) and on every CUDA GPU
/// found; each result is checked against a plain C# loop.
/// </summary>
public static class Lesson17GpuKernels
{
    /// <summary>What one device did: the tile side it used, the largest difference from the plain loops, the time of each kernel (after a first, compiling run).</summary>
    public sealed record DeviceRun(string Device, int Tile, double ElementwiseError, double NaiveError, double TiledError,
        double ElementwiseMilliseconds, double NaiveMilliseconds, double TiledMilliseconds);

    /// <summary>Each device's run, the product's sizes, and the global-memory reads of the naive and tiled products counted by hand.</summary>
    public sealed record Result(IReadOnlyList<DeviceRun> Runs, int M, int K, int N, long NaiveReads, IReadOnlyDictionary<int, long> TiledReadsByTile);

    /// <summary>C (M × N) = A (M × K) · B (K × N): odd sizes, so no side is a multiple of any tile and the edges need their checks.</summary>
    public const int M = 37, K = 29, N = 19;

    /// <summary>Elements of the element-wise example: not a multiple of the group size either.</summary>
    public const int Length = 1001;

    /// <summary>The tile side on a real GPU: 16 x 16 = 256 threads per group, a common choice.</summary>
    public const int GpuTile = 16;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var rng = new Rng(13);
        var x = new float[Length];
        var y = new float[Length];
        for (int i = 0; i < Length; i++) { x[i] = rng.NextUniform(-1, 1); y[i] = rng.NextUniform(-1, 1); }
        var A = new float[M * K];
        var B = new float[K * N];
        for (int i = 0; i < A.Length; i++) A[i] = rng.NextUniform(-1, 1);
        for (int i = 0; i < B.Length; i++) B[i] = rng.NextUniform(-1, 1);
        const float a = 2.5f;

        // What every kernel must reproduce, as plain loops on the CPU.
        var zLoop = new float[Length];
        for (int i = 0; i < Length; i++) zLoop[i] = a * x[i] + y[i];
        var cLoop = MatMul(A, B, M, K, N);

        // An ILGPU context finds the devices: the CPU accelerator always, CUDA GPUs where a driver and a
        // GPU are present (other kinds, such as OpenCL, are left out of this lesson).
        using var context = Context.Create(builder => builder.Default());
        var runs = new List<DeviceRun>();
        foreach (var device in context.Devices.Where(d => d.AcceleratorType is AcceleratorType.CPU or AcceleratorType.Cuda))
        {
            using var accelerator = device.CreateAccelerator(context);
            runs.Add(RunOn(accelerator, a, x, y, zLoop, A, B, cLoop));
            var r = runs[^1];
            o.WriteLine($"{r.Device}: tile {r.Tile}x{r.Tile}; largest difference from the plain loops: element-wise {r.ElementwiseError:E1}, " +
                $"naive product {r.NaiveError:E1}, tiled product {r.TiledError:E1}");
            o.WriteLine($"  times: element-wise {r.ElementwiseMilliseconds:F3} ms, naive {r.NaiveMilliseconds:F3} ms, tiled {r.TiledMilliseconds:F3} ms" +
                (device.AcceleratorType == AcceleratorType.CPU ? " (a GPU simulated by CPU threads: these times say nothing about a GPU)" : ""));
        }
        if (!runs.Any(r => r.Device.StartsWith("Cuda", StringComparison.Ordinal)))
            o.WriteLine("No CUDA GPU found here: the kernels ran on the CPU accelerator only. On a machine with an NVIDIA GPU and its driver the same code runs there too.");

        // Why tiles. The naive product reads 2K values from global memory for each of the M·N outputs. The
        // tiled one loads each T × T block of A and of B once per group that needs it and then reads it
        // T times from fast shared memory: about 2·M·N·K / T global reads. Counted here loop by loop.
        long naiveReads = 2L * M * N * K;
        var tiledReads = new SortedDictionary<int, long>();
        foreach (int t in new[] { 1, 2, 4, 8, 16, 32 }) tiledReads[t] = CountTiledReads(t);
        o.WriteLine($"global-memory reads for C = A·B ({M}x{K} · {K}x{N}): naive {naiveReads:N0}; tiled " +
            string.Join(", ", tiledReads.Where(kv => kv.Key > 1).Select(kv => $"T={kv.Key}: {kv.Value:N0}")));

        if (ctx.DrawPictures)
        {
            double[] tiles = tiledReads.Keys.Select(t => (double)t).ToArray();
            Pictures.Draw(ctx.PicturePath("lesson17-tiles.svg"), new Chart($"Global reads of C = A·B ({M}x{K} · {K}x{N})", "tile side T", "values read from global memory",
                [
                    new Series("naive: 2·M·N·K", tiles, tiles.Select(_ => (double)naiveReads).ToArray(), SeriesStyle.DashedLine),
                    new Series("tiled: counted", tiles, tiledReads.Values.Select(v => (double)v).ToArray()),
                ], LogY: true));
        }
        return new Result(runs, M, K, N, naiveReads, tiledReads);
    }

    // ---- The kernels. Each is an ordinary static method; ILGPU compiles it for the device. ----

    /// <summary>
    /// Element-wise <c>z[i] = a·x[i] + y[i]</c> ("saxpy"), one thread per element. Threads come in groups;
    /// thread (group g, lane l) of groups of G threads computes element <c>i = g·G + l</c>. The last group
    /// is rounded up to G threads, so the ones past the end must do nothing: the bounds check.
    /// </summary>
    public static void Saxpy(float a, ArrayView<float> x, ArrayView<float> y, ArrayView<float> z)
    {
        int i = Grid.IdxX * Group.DimX + Group.IdxX;
        if (i >= z.Length) return;
        z[i] = a * x[i] + y[i];
    }

    /// <summary>
    /// Naive <c>C[r, c] = Σ_k A[r, k] · B[k, c]</c>, one thread per element of C, found from a 2-D index
    /// (x: column, y: row). Each thread reads its own row of A and column of B from global memory.
    /// </summary>
    public static void NaiveMatMul(Index2D index, ArrayView<float> A, ArrayView<float> B, ArrayView<float> C, int k, int n)
    {
        int col = index.X, row = index.Y;
        float sum = 0;
        for (int p = 0; p < k; p++) sum += A[row * k + p] * B[p * n + col];
        C[row * n + col] = sum;
    }

    /// <summary>
    /// Tiled <c>C = A · B</c>: a group of T × T threads computes a T × T block of C. For each tile step it
    /// copies one T × T block of A and one of B into shared memory (each thread copies one value of each),
    /// waits for the whole group (<c>Group.Barrier</c>), then each thread takes T products from shared memory,
    /// and waits again before the next blocks overwrite them. Values outside the matrices are loaded as 0,
    /// which adds nothing; threads outside C compute but do not write.
    /// </summary>
    public static void TiledMatMul(ArrayView<float> A, ArrayView<float> B, ArrayView<float> C, int m, int k, int n)
    {
        int t = Group.DimX;
        // Dynamic shared memory: 2·T·T floats for the group, the size chosen at launch.
        var shared = SharedMemory.GetDynamic<float>();
        var tileA = shared.SubView(0, t * t);
        var tileB = shared.SubView(t * t, t * t);
        int tx = Group.IdxX, ty = Group.IdxY;
        int col = Grid.IdxX * t + tx, row = Grid.IdxY * t + ty;
        float sum = 0;
        for (int start = 0; start < k; start += t)
        {
            int aCol = start + tx, bRow = start + ty;
            tileA[ty * t + tx] = row < m && aCol < k ? A[row * k + aCol] : 0f;
            tileB[ty * t + tx] = bRow < k && col < n ? B[bRow * n + col] : 0f;
            Group.Barrier();
            for (int p = 0; p < t; p++) sum += tileA[ty * t + p] * tileB[p * t + tx];
            Group.Barrier();
        }
        if (row < m && col < n) C[row * n + col] = sum;
    }

    // ---- The host side: buffers on the device, launches, copies back. ----

    /// <summary>Runs the three kernels on <paramref name="accelerator"/> and compares each with the plain loops.</summary>
    public static DeviceRun RunOn(Accelerator accelerator, float a, float[] x, float[] y, float[] zLoop, float[] A, float[] B, float[] cLoop)
    {
        // The tile: T × T threads must fit in one group. A real GPU allows 1024 threads per group;
        // the CPU accelerator simulates small groups (16 threads: T = 4).
        int tile = GpuTile;
        while (tile * tile > accelerator.MaxNumThreadsPerGroup) tile /= 2;
        int group = Math.Min(256, accelerator.MaxNumThreadsPerGroup);

        using var xd = accelerator.Allocate1D(x);
        using var yd = accelerator.Allocate1D(y);
        using var zd = accelerator.Allocate1D<float>(x.Length);
        using var Ad = accelerator.Allocate1D(A);
        using var Bd = accelerator.Allocate1D(B);
        using var Cd = accelerator.Allocate1D<float>(M * N);

        var saxpy = accelerator.LoadStreamKernel<float, ArrayView<float>, ArrayView<float>, ArrayView<float>>(Saxpy);
        var naive = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(NaiveMatMul);
        var tiled = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(TiledMatMul);

        // ⌈n / G⌉ groups of G threads: enough threads for every element, a few to spare in the last group.
        int groups = (x.Length + group - 1) / group;
        double saxpyMs = Timed(accelerator, () => saxpy((groups, group), a, xd.View, yd.View, zd.View));
        double saxpyError = MaxDifference(zd.GetAsArray1D(), zLoop);

        // One thread per element of C: the 2-D extent (columns, rows).
        double naiveMs = Timed(accelerator, () => naive(new Index2D(N, M), Ad.View, Bd.View, Cd.View, K, N));
        double naiveError = MaxDifference(Cd.GetAsArray1D(), cLoop);

        Cd.MemSetToZero();
        var groupsOfC = new Index2D((N + tile - 1) / tile, (M + tile - 1) / tile);
        var config = new KernelConfig(groupsOfC, new Index2D(tile, tile), SharedMemoryConfig.RequestDynamic<float>(2 * tile * tile));
        double tiledMs = Timed(accelerator, () => tiled(config, Ad.View, Bd.View, Cd.View, M, K, N));
        double tiledError = MaxDifference(Cd.GetAsArray1D(), cLoop);

        return new DeviceRun($"{accelerator.AcceleratorType}: {accelerator.Name}", tile, saxpyError, naiveError, tiledError, saxpyMs, naiveMs, tiledMs);
    }

    /// <summary>The plain loop: C[r, c] = Σ_p A[r, p] · B[p, c], summed in float in the kernels' order.</summary>
    public static float[] MatMul(float[] A, float[] B, int m, int k, int n)
    {
        var C = new float[m * n];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < n; c++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++) sum += A[r * k + p] * B[p * n + c];
                C[r * n + c] = sum;
            }
        return C;
    }

    /// <summary>
    /// Global reads of the tiled product with tile side <paramref name="t"/>, counted as the kernel loads:
    /// for every group and every tile step, the in-range values of A and of B (T = 1 is the naive product).
    /// </summary>
    public static long CountTiledReads(int t)
    {
        long reads = 0;
        for (int gy = 0; gy * t < M; gy++)
            for (int gx = 0; gx * t < N; gx++)
                for (int start = 0; start < K; start += t)
                    for (int ty = 0; ty < t; ty++)
                        for (int tx = 0; tx < t; tx++)
                        {
                            int row = gy * t + ty, col = gx * t + tx;
                            if (row < M && start + tx < K) reads++;
                            if (start + ty < K && col < N) reads++;
                        }
        return reads;
    }

    private static double Timed(Accelerator accelerator, Action launch)
    {
        launch();                    // the first launch compiles the kernel; time the second
        accelerator.Synchronize();
        var watch = Stopwatch.StartNew();
        launch();
        accelerator.Synchronize();  // launches return at once; the work is done when the stream is
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double MaxDifference(float[] actual, float[] expected)
    {
        double max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        return max;
    }
}
