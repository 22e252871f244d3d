using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// The specification of the convolution and pooling layers: plain nested loops over NCHW tensors that
/// follow the formulas term by term (sums kept in double). Slow; tests check that the fast paths of
/// <see cref="Conv2D"/>, <see cref="MaxPool2D"/> and <see cref="AvgPool2D"/> agree with them.
/// </summary>
public static class ConvolutionReference
{
    /// <summary>
    /// <c>y[n, o, oh, ow] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]</c>,
    /// reading x as 0 outside the image. <paramref name="bias"/> may be null.
    /// </summary>
    public static Tensor Conv2DForward(Tensor input, Tensor weight, Tensor? bias, int stride, int padding)
    {
        int batch = input.Dim(0), channels = input.Dim(1), height = input.Dim(2), width = input.Dim(3);
        int outChannels = weight.Dim(0), k = weight.Dim(2);
        int outH = (height + 2 * padding - k) / stride + 1, outW = (width + 2 * padding - k) / stride + 1;
        var output = new Tensor(batch, outChannels, outH, outW);
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outChannels; o++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        double sum = bias is null ? 0 : bias[o];
                        for (int c = 0; c < channels; c++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int ih = oh * stride - padding + i, iw = ow * stride - padding + j;
                                    if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue;
                                    sum += (double)weight.Span[((o * channels + c) * k + i) * k + j]
                                         * input.Span[((n * channels + c) * height + ih) * width + iw];
                                }
                        output.Span[((n * outChannels + o) * outH + oh) * outW + ow] = (float)sum;
                    }
        return output;
    }

    /// <summary>
    /// The gradients of <see cref="Conv2DForward"/> given dL/dy: every term <c>W[o,c,i,j]·x[n,c,ih,iw]</c>
    /// of y[n,o,oh,ow] sends <c>dy·x</c> to dW[o,c,i,j] and <c>dy·W</c> to dx[n,c,ih,iw]; db[o] sums dy.
    /// </summary>
    public static (Tensor GradInput, Tensor GradWeight, Tensor GradBias) Conv2DBackward(
        Tensor input, Tensor weight, Tensor gradOutput, int stride, int padding)
    {
        int batch = input.Dim(0), channels = input.Dim(1), height = input.Dim(2), width = input.Dim(3);
        int outChannels = weight.Dim(0), k = weight.Dim(2);
        int outH = gradOutput.Dim(2), outW = gradOutput.Dim(3);
        var gx = new double[input.Length];
        var gw = new double[weight.Length];
        var gb = new double[outChannels];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < outChannels; o++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        double dy = gradOutput.Span[((n * outChannels + o) * outH + oh) * outW + ow];
                        gb[o] += dy;
                        for (int c = 0; c < channels; c++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int ih = oh * stride - padding + i, iw = ow * stride - padding + j;
                                    if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue;
                                    int xi = ((n * channels + c) * height + ih) * width + iw;
                                    int wi = ((o * channels + c) * k + i) * k + j;
                                    gw[wi] += dy * input.Span[xi];
                                    gx[xi] += dy * weight.Span[wi];
                                }
                    }
        return (ToTensor(gx, input.ShapeArray()), ToTensor(gw, weight.ShapeArray()), ToTensor(gb, [outChannels]));
    }

    /// <summary>
    /// <c>y[n, c, oh, ow] = max_{i,j} x[n, c, oh·s + i, ow·s + j]</c> over a size x size window. Ties: the
    /// first maximum in row-major window order wins (it alone receives the gradient). Also returns, for
    /// each output, the flat index into x of the winner.
    /// </summary>
    public static (Tensor Output, int[] ArgMax) MaxPool2DForward(Tensor input, int size, int stride)
    {
        int batch = input.Dim(0), channels = input.Dim(1), height = input.Dim(2), width = input.Dim(3);
        int outH = (height - size) / stride + 1, outW = (width - size) / stride + 1;
        var output = new Tensor(batch, channels, outH, outW);
        var argMax = new int[output.Length];
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        int best = -1;
                        for (int i = 0; i < size; i++)
                            for (int j = 0; j < size; j++)
                            {
                                int xi = ((n * channels + c) * height + oh * stride + i) * width + ow * stride + j;
                                if (best < 0 || input.Span[xi] > input.Span[best]) best = xi;
                            }
                        int yi = ((n * channels + c) * outH + oh) * outW + ow;
                        output.Span[yi] = input.Span[best];
                        argMax[yi] = best;
                    }
        return (output, argMax);
    }

    /// <summary>dx[argmax] += dy: each output's gradient goes to the input that won its window.</summary>
    public static Tensor MaxPool2DBackward(int[] inputShape, int[] argMax, Tensor gradOutput)
    {
        var gx = new Tensor(inputShape);
        for (int yi = 0; yi < gradOutput.Length; yi++) gx.Span[argMax[yi]] += gradOutput.Span[yi];
        return gx;
    }

    /// <summary><c>y[n, c, oh, ow] = (1/size²) Σ_{i,j} x[n, c, oh·s + i, ow·s + j]</c>.</summary>
    public static Tensor AvgPool2DForward(Tensor input, int size, int stride)
    {
        int batch = input.Dim(0), channels = input.Dim(1), height = input.Dim(2), width = input.Dim(3);
        int outH = (height - size) / stride + 1, outW = (width - size) / stride + 1;
        var output = new Tensor(batch, channels, outH, outW);
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        double sum = 0;
                        for (int i = 0; i < size; i++)
                            for (int j = 0; j < size; j++)
                                sum += input.Span[((n * channels + c) * height + oh * stride + i) * width + ow * stride + j];
                        output.Span[((n * channels + c) * outH + oh) * outW + ow] = (float)(sum / (size * size));
                    }
        return output;
    }

    /// <summary>dx[n, c, oh·s + i, ow·s + j] += dy[n, c, oh, ow] / size² for every window position.</summary>
    public static Tensor AvgPool2DBackward(int[] inputShape, Tensor gradOutput, int size, int stride)
    {
        int channels = inputShape[1], height = inputShape[2], width = inputShape[3];
        int batch = inputShape[0], outH = gradOutput.Dim(2), outW = gradOutput.Dim(3);
        var gx = new double[batch * channels * height * width];
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        double share = gradOutput.Span[((n * channels + c) * outH + oh) * outW + ow] / (double)(size * size);
                        for (int i = 0; i < size; i++)
                            for (int j = 0; j < size; j++)
                                gx[((n * channels + c) * height + oh * stride + i) * width + ow * stride + j] += share;
                    }
        return ToTensor(gx, inputShape);
    }

    private static Tensor ToTensor(double[] values, int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < values.Length; i++) t.Span[i] = (float)values[i];
        return t;
    }
}
