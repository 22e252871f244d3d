using System.Runtime.InteropServices;
using ScratchNet.Tensors;

namespace ScratchNet.Serialization;

/// <summary>One named tensor of a safetensors file: its dtype, shape and little-endian bytes.</summary>
public sealed class SafeTensor
{
    /// <summary>A tensor; <paramref name="data"/> must hold exactly product(shape) * size(dtype) bytes.</summary>
    public SafeTensor(string name, string dtype, long[] shape, byte[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int size = SafeTensorDType.SizeOf(dtype);
        if (size == 0) throw new ArgumentException($"Unknown safetensors dtype '{dtype}'.");
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}': negative dimension in shape [{string.Join(", ", shape)}].");
            count = checked(count * d);
        }
        if (checked(count * size) != data.Length)
            throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {count * size} bytes, got {data.Length}.");
        Name = name;
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>The tensor's name ("layers.0.weight").</summary>
    public string Name { get; }

    /// <summary>The element type ("F32").</summary>
    public string DType { get; }

    /// <summary>The dimensions.</summary>
    public long[] Shape { get; }

    /// <summary>The raw little-endian bytes.</summary>
    public byte[] Data { get; }

    /// <summary>A copy of a float tensor as F32.</summary>
    public static SafeTensor FromTensor(string name, Tensor tensor) =>
        new(name, SafeTensorDType.F32, tensor.ShapeArray().Select(d => (long)d).ToArray(), MemoryMarshal.AsBytes(tensor.Span).ToArray());

    /// <summary>A U64 vector (generator states, counters).</summary>
    public static SafeTensor FromUInt64(string name, ReadOnlySpan<ulong> values) =>
        new(name, SafeTensorDType.U64, [values.Length], MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An I32 vector (sample orders, counters).</summary>
    public static SafeTensor FromInt32(string name, ReadOnlySpan<int> values) =>
        new(name, "I32", [values.Length], MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The values of an I32 tensor.</summary>
    public int[] ToInt32()
    {
        if (DType != "I32") throw new InvalidDataException($"Tensor '{Name}' is {DType}, not I32.");
        return MemoryMarshal.Cast<byte, int>(Data).ToArray();
    }

    /// <summary>The values as a new float tensor (F32 only).</summary>
    /// <exception cref="InvalidDataException">Not F32, or a dimension too large.</exception>
    public Tensor ToTensor()
    {
        if (DType != SafeTensorDType.F32) throw new InvalidDataException($"Tensor '{Name}' is {DType}, not F32.");
        var t = new Tensor(IntShape());
        Data.AsSpan().CopyTo(MemoryMarshal.AsBytes(t.Span));
        return t;
    }

    /// <summary>The values of a U64 tensor.</summary>
    public ulong[] ToUInt64()
    {
        if (DType != SafeTensorDType.U64) throw new InvalidDataException($"Tensor '{Name}' is {DType}, not U64.");
        return MemoryMarshal.Cast<byte, ulong>(Data).ToArray();
    }

    /// <summary>The shape as ints (ScratchNet tensors).</summary>
    public int[] IntShape() => Shape.Select(d => d <= int.MaxValue ? (int)d : throw new InvalidDataException($"Tensor '{Name}': dimension {d} is too large.")).ToArray();

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {DType}[{string.Join(", ", Shape)}]";
}
