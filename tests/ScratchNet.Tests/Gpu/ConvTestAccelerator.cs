using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// One ILGPU CPU accelerator shared by the kernel tests of the convolution side (<c>[Collection(ConvTestAccelerator.Name)]</c>:
/// they run one after another, never two launches at once), with the few host/device copies they need.
/// </summary>
public sealed class ConvTestAccelerator : IDisposable
{
    public const string Name = "GPU kernels on the CPU accelerator";

    public ConvTestAccelerator()
    {
        Context = Context.Create(builder => builder.CPU());
        Accelerator = Context.CreateCPUAccelerator(0);
    }

    public Context Context { get; }

    public Accelerator Accelerator { get; }

    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] values) where T : unmanaged
    {
        var buffer = Accelerator.Allocate1D<T>(Math.Max(values.Length, 1));
        if (values.Length > 0) buffer.View.SubView(0, values.Length).CopyFromCPU(values);
        return buffer;
    }

    public MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(long length) where T : unmanaged => Accelerator.Allocate1D<T>(length);

    public T[] Download<T>(ArrayView<T> view) where T : unmanaged
    {
        Accelerator.Synchronize();
        var values = new T[view.Length];
        view.CopyToCPU(values);
        return values;
    }

    /// <summary>
    /// Compiles a stream kernel (first parameter an <see cref="Index1D"/>) to PTX for Hopper (SM_90, ISA 8.0)
    /// without a GPU: the check that the kernel uses only what the CUDA backend supports. Returns the PTX.
    /// </summary>
    public static string CompileToPtx(MethodInfo kernel)
    {
        using var context = Context.Create(builder => builder.Default());
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
        var compiled = backend.Compile(entry, default);
        return ((PTXCompiledKernel)compiled).PTXAssembly;
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}

[CollectionDefinition(ConvTestAccelerator.Name)]
public sealed class ConvTestAcceleratorCollection : ICollectionFixture<ConvTestAccelerator> { }
