using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="Im2ColKernels"/> on one accelerator: the four rearrangements around the matrix
/// products of a convolution computed as GEMMs (the products themselves are the caller's). Kernels are
/// compiled once, when the launcher is made; launches are queued on the default stream.
/// </summary>
public sealed class Im2ColLauncher
{
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>> _pack, _unpack, _batchToColumns;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, int, ArrayView<float>> _columnsToBatch;

    /// <summary>Compiles the im2col kernels for <paramref name="accelerator"/>.</summary>
    public Im2ColLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _pack = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>>(Im2ColKernels.Pack);
        _unpack = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>>(Im2ColKernels.Unpack);
        _batchToColumns = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>>(Im2ColKernels.BatchToColumns);
        _columnsToBatch = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>(Im2ColKernels.ColumnsToBatch);
    }

    /// <summary>im2col: fills <paramref name="columns"/> (C·k·k x N·P) from <paramref name="input"/> (N, C, H, W).</summary>
    public void Pack(ConvShape shape, ArrayView<float> input, ArrayView<float> columns)
    {
        ConvViews.Require(input, shape.InputLength, "Im2ColLauncher.Pack", nameof(input));
        ConvViews.Require(columns, (long)shape.PatchLength * shape.ColumnCount, "Im2ColLauncher.Pack", nameof(columns));
        _pack(shape.PatchLength * shape.ColumnCount, shape, input, columns);
    }

    /// <summary>col2im: overwrites <paramref name="gradInput"/> (N, C, H, W) with the sum of the column entries copied from each pixel.</summary>
    public void Unpack(ConvShape shape, ArrayView<float> columns, ArrayView<float> gradInput)
    {
        ConvViews.Require(columns, (long)shape.PatchLength * shape.ColumnCount, "Im2ColLauncher.Unpack", nameof(columns));
        ConvViews.Require(gradInput, shape.InputLength, "Im2ColLauncher.Unpack", nameof(gradInput));
        _unpack(shape.InputLength, shape, columns, gradInput);
    }

    /// <summary><c>y[n, o, q] = Y[o, n·P + q] + b[o]</c>: the product W · cols back to NCHW, bias added (<see cref="ArrayView{T}.Empty"/> for none).</summary>
    public void ColumnsToBatch(ConvShape shape, ArrayView<float> product, ArrayView<float> bias, ArrayView<float> output)
    {
        ConvViews.Require(product, shape.OutputLength, "Im2ColLauncher.ColumnsToBatch", nameof(product));
        bool hasBias = bias.Length != 0;
        if (hasBias) ConvViews.Require(bias, shape.OutChannels, "Im2ColLauncher.ColumnsToBatch", nameof(bias));
        ConvViews.Require(output, shape.OutputLength, "Im2ColLauncher.ColumnsToBatch", nameof(output));
        _columnsToBatch(shape.OutputLength, shape, product, hasBias ? bias : product, hasBias ? 1 : 0, output);
    }

    /// <summary><c>dY[o, n·P + q] = dy[n, o, q]</c>: the output gradient in the product's layout (O x N·P).</summary>
    public void BatchToColumns(ConvShape shape, ArrayView<float> gradOutput, ArrayView<float> columns)
    {
        ConvViews.Require(gradOutput, shape.OutputLength, "Im2ColLauncher.BatchToColumns", nameof(gradOutput));
        ConvViews.Require(columns, shape.OutputLength, "Im2ColLauncher.BatchToColumns", nameof(columns));
        _batchToColumns(shape.OutputLength, shape, gradOutput, columns);
    }
}
