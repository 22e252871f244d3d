using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// The mean of each channel over all positions: (N, C, H, W) → (N, C), <c>y[n, c] = (1/(H·W)) Σ_{h,w} x[n, c, h, w]</c>.
/// Backward: <c>dx[n, c, h, w] = dy[n, c] / (H·W)</c>.
/// </summary>
public sealed class GlobalAveragePool : Layer
{
    private int _channels, _plane, _batch = -1;
    private int[] _inputShape = [];
    private float[] _outputData = [], _gradInputData = [];
    private Tensor? _output, _gradInput;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("GlobalAveragePool");

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new ArgumentException($"GlobalAveragePool expects per-sample input (channels, height, width), got {Tensor.FormatShape(inputShape)}.");
        return [inputShape[0]];
    }

    /// <summary>No parameters; one addition per input value.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        OutputShape(inputShape);
        return new LayerCost(0, inputShape[0], LayerCost.Elements(inputShape));
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        OutputShape(inputShape);
        _inputShape = inputShape;
        _channels = inputShape[0];
        _plane = inputShape[1] * inputShape[2];
        _batch = -1;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        if (input.Rank != 4 || input.Dim(1) != _inputShape[0] || input.Dim(2) != _inputShape[1] || input.Dim(3) != _inputShape[2])
            throw new ShapeMismatchException("GlobalAveragePool.Forward: input", input.ShapeString, $"(batch, {_inputShape[0]}, {_inputShape[1]}, {_inputShape[2]})");
        int batch = input.Dim(0);
        var output = ConvBuffers.View(ref _outputData, ref _output, batch, [_channels]);
        _batch = batch;
        var x = input.Span;
        var y = output.Span;
        for (int i = 0; i < batch * _channels; i++)
        {
            double sum = 0;
            foreach (float v in x.Slice(i * _plane, _plane)) sum += v;
            y[i] = (float)(sum / _plane);
        }
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("GlobalAveragePool.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        var gradInput = ConvBuffers.View(ref _gradInputData, ref _gradInput, _batch, _inputShape);
        var gx = gradInput.Span;
        var gy = gradOutput.Span;
        for (int i = 0; i < _batch * _channels; i++) gx.Slice(i * _plane, _plane).Fill(gy[i] / _plane);
        return gradInput;
    }
}
