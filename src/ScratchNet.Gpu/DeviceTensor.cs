using ILGPU;
using ILGPU.Runtime;
using ScratchNet.Tensors;

namespace ScratchNet.Gpu;

/// <summary>
/// A tensor in device memory: a shape and a dense buffer of float32 values in the host
/// <see cref="Tensor"/>'s row-major order, so upload and download are one copy each.
/// </summary>
public sealed class DeviceTensor : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _buffer;
    private readonly int[] _shape;

    /// <summary>A tensor of <paramref name="shape"/> on <paramref name="device"/>, all zeros.</summary>
    /// <exception cref="ArgumentException">A negative dimension, or more than <see cref="int.MaxValue"/> values.</exception>
    public DeviceTensor(GpuDevice device, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(shape);
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"DeviceTensor: negative dimension in {Tensor.FormatShape(shape)}.");
            length *= d;
            if (length > int.MaxValue) throw new ArgumentException($"DeviceTensor: {Tensor.FormatShape(shape)} holds more than {int.MaxValue} values.");
        }
        _shape = (int[])shape.Clone();
        Length = (int)length;
        // ILGPU allocates no empty buffer; an empty tensor keeps one unused value.
        _buffer = device.Accelerator.Allocate1D<float>(Math.Max(1, Length));
        _buffer.MemSetToZero();
    }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of values (the product of the dimensions).</summary>
    public int Length { get; }

    /// <summary>The values as a view for kernels: exactly <see cref="Length"/> of them.</summary>
    public ArrayView<float> View => _buffer.View.SubView(0, Length);

    /// <summary>A new device tensor with <paramref name="tensor"/>'s shape and values.</summary>
    public static DeviceTensor Upload(GpuDevice device, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var result = new DeviceTensor(device, tensor.ShapeArray());
        result.CopyFrom(tensor.Span);
        return result;
    }

    /// <summary>Copies <paramref name="values"/> (exactly <see cref="Length"/> of them) to the device.</summary>
    public void CopyFrom(ReadOnlySpan<float> values)
    {
        if (values.Length != Length) throw new ArgumentException($"DeviceTensor {Tensor.FormatShape(_shape)}: {values.Length} values given for {Length}.");
        if (Length > 0) View.CopyFromCPU(values.ToArray());
    }

    /// <summary>Copies the values to <paramref name="destination"/> (exactly <see cref="Length"/> of them), waiting for the kernels before.</summary>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != Length) throw new ArgumentException($"DeviceTensor {Tensor.FormatShape(_shape)}: {destination.Length} values asked for {Length}.");
        if (Length == 0) return;
        var values = new float[Length];
        View.CopyToCPU(values);
        values.CopyTo(destination);
    }

    /// <summary>A host tensor of the same shape and values.</summary>
    public Tensor Download()
    {
        var tensor = new Tensor(_shape);
        CopyTo(tensor.Span);
        return tensor;
    }

    /// <summary>Frees the device memory.</summary>
    public void Dispose() => _buffer.Dispose();
}
