using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ScratchNet.Gpu.Kernels;

namespace ScratchNet.Gpu;

/// <summary>
/// One accelerator and the ILGPU context that owns it: the first CUDA device ("cuda"), or ILGPU's CPU
/// accelerator ("cpu-accelerator"), which runs the same kernels on the host's threads so that every
/// kernel can be tested without a GPU. The kernels are compiled for it on first use and kept.
/// </summary>
/// <example>
/// <code>
/// using var device = GpuDevice.Open("cpu-accelerator");
/// using var a = DeviceTensor.Upload(device, tensor);
/// Tensor back = a.Download();
/// </code>
/// </example>
public sealed class GpuDevice : IDisposable
{
    /// <summary>The name of the first CUDA device.</summary>
    public const string Cuda = "cuda";

    /// <summary>The name of ILGPU's CPU accelerator.</summary>
    public const string CpuAccelerator = "cpu-accelerator";

    private readonly Context _context;
    private MatrixProduct? _matrixProduct;
    private BiasKernels? _bias;
    private ActivationKernels? _activations;
    private SoftmaxCrossEntropyKernels? _softmaxCrossEntropy;
    private OptimizerKernels? _optimizers;
    private BatchGather? _gather;
    private ConvLauncher? _conv;
    private PoolLauncher? _pool;
    private DropoutLauncher? _dropout;
    private ShiftKernels? _shift;
    private BatchNormLauncher? _batchNorm;
    private GradientKernels? _gradients;

    private GpuDevice(Context context, Accelerator accelerator, string kind)
    {
        _context = context;
        Accelerator = accelerator;
        Kind = kind;
    }

    /// <summary>The device names <see cref="Open"/> takes: "cuda" and "cpu-accelerator".</summary>
    public static IReadOnlyList<string> Names { get; } = [Cuda, CpuAccelerator];

    /// <summary>
    /// Opens device <paramref name="kind"/>: "cuda" (the first CUDA device) or "cpu-accelerator".
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name, or "cuda" where ILGPU finds no CUDA device (the message says what it finds).</exception>
    public static GpuDevice Open(string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!Names.Contains(kind))
            throw new ArgumentException($"Unknown device '{TextExcerpt.Of(kind)}': the GPU devices are {string.Join(", ", Names)}.");
        var context = Context.Create(builder => builder.Default().EnableAlgorithms());
        try
        {
            Accelerator accelerator;
            if (kind == Cuda)
            {
                var cuda = context.GetCudaDevices();
                if (cuda.Count == 0)
                    throw new ArgumentException($"Device 'cuda': no CUDA device found (ILGPU finds {Found(context)}); train with device cpu or cpu-accelerator.");
                accelerator = cuda[0].CreateAccelerator(context);
            }
            else accelerator = context.CreateCPUAccelerator(0, CPUAcceleratorMode.Parallel);
            return new GpuDevice(context, accelerator, kind);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>What ILGPU finds, in words ("the CPU accelerator only").</summary>
    private static string Found(Context context)
    {
        var names = context.Devices.Select(d => $"{d.AcceleratorType} '{d.Name}'").ToArray();
        return names.Length == 0 ? "no accelerator" : string.Join(", ", names);
    }

    /// <summary>"cuda" or "cpu-accelerator".</summary>
    public string Kind { get; }

    /// <summary>The device in words: its kind and ILGPU's name for it ("cuda: NVIDIA H100 80GB HBM3").</summary>
    public string Description => $"{Kind}: {Accelerator.Name}";

    /// <summary>The ILGPU accelerator (its default stream runs every kernel in order).</summary>
    public Accelerator Accelerator { get; }

    internal MatrixProduct MatrixProduct => _matrixProduct ??= new MatrixProduct(Accelerator);
    internal BiasKernels Bias => _bias ??= new BiasKernels(Accelerator);
    internal ActivationKernels Activations => _activations ??= new ActivationKernels(Accelerator);
    internal SoftmaxCrossEntropyKernels SoftmaxCrossEntropy => _softmaxCrossEntropy ??= new SoftmaxCrossEntropyKernels(Accelerator);
    internal OptimizerKernels Optimizers => _optimizers ??= new OptimizerKernels(Accelerator);
    internal BatchGather Gather => _gather ??= new BatchGather(Accelerator);
    internal ConvLauncher Conv => _conv ??= new ConvLauncher(Accelerator);
    internal PoolLauncher Pool => _pool ??= new PoolLauncher(Accelerator);
    internal DropoutLauncher Dropout => _dropout ??= new DropoutLauncher(Accelerator);
    internal ShiftKernels Shift => _shift ??= new ShiftKernels(Accelerator);
    internal BatchNormLauncher BatchNorm => _batchNorm ??= new BatchNormLauncher(Accelerator);
    internal GradientKernels Gradients => _gradients ??= new GradientKernels(Accelerator);

    /// <summary>Waits until every kernel launched so far has finished.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <summary>Frees the accelerator and the context (and with them every buffer still allocated on it).</summary>
    public void Dispose()
    {
        _batchNorm?.Dispose();
        _gradients?.Dispose();
        Accelerator.Dispose();
        _context.Dispose();
    }
}
