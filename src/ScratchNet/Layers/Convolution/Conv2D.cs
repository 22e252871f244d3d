using System.Globalization;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// 2-D convolution over NCHW batches (strictly, cross-correlation, as in every framework):
/// <c>y[n, o, oh, ow] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]</c>,
/// with zero padding p and stride s; output size per side <c>(in + 2p − k) / s + 1</c>.
/// </summary>
/// <remarks>
/// Weights have shape (outChannels, inChannels, k, k), initialised by He by default: N(0, 2 / fanIn) with
/// fanIn = inChannels·k·k (fanOut = outChannels·k·k); biases start at 0.
/// The fast path (<see cref="Forward"/>, <see cref="Backward"/>) is im2col + GEMM over many samples at
/// once, with the patch matrix read panel by panel from the input instead of written out (per sample
/// when a sample's output plane is large); <see cref="ConvolutionReference"/> holds the plain loops
/// that specify it.
/// Gradients: <c>dW = dY · colsᵀ</c>, <c>db[o] = Σ_{n,oh,ow} dY[n, o, oh, ow]</c>,
/// <c>dx = col2im(Wᵀ · dY)</c>, where dY is seen as (outChannels, N·P).
/// </remarks>
public sealed partial class Conv2D : Layer
{
    private ConvGeometry _g;
    private Parameter _weight = null!;
    private Parameter? _bias;

    /// <summary>A convolution with <paramref name="outChannels"/> square filters of side <paramref name="kernelSize"/>.</summary>
    public Conv2D(int outChannels, int kernelSize, int stride = 1, int padding = 0, bool useBias = true, Initializer? weightInit = null)
    {
        if (outChannels < 1) throw new ArgumentOutOfRangeException(nameof(outChannels), $"Conv2D: outChannels must be at least 1 (got {outChannels}).");
        if (kernelSize < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), $"Conv2D: kernelSize must be at least 1 (got {kernelSize}).");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), $"Conv2D: stride must be at least 1 (got {stride}).");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"Conv2D: padding must be 0 or more (got {padding}).");
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        UseBias = useBias;
        WeightInit = weightInit ?? new HeNormal();
    }

    /// <summary>Number of filters, the output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Side k of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Step between neighbouring windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on every side of the input.</summary>
    public int Padding { get; }

    /// <summary>Whether a per-channel bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>The initialiser of the filters (<see cref="HeNormal"/> unless told).</summary>
    public Initializer WeightInit { get; }

    /// <summary>
    /// Whether <see cref="Backward"/> computes dL/dx (default true): a permanent setting, saved in the
    /// spec, for a first layer whose input is data. When false, Backward skips the <c>Wᵀ · dY</c>
    /// product and col2im and returns zeros. (<see cref="Layer.InputGradientRequired"/>, which
    /// <c>Sequential.Backward(g, inputGradient: false)</c> clears for one step, skips them too.)
    /// </summary>
    public bool ComputeInputGradient { get; init; } = true;

    /// <summary>The filters, shape (outChannels, inChannels, k, k).</summary>
    public Parameter Weight => _weight;

    /// <summary>The bias, shape (outChannels), or null without bias.</summary>
    public Parameter? Bias => _bias;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _bias is null ? [_weight] : [_weight, _bias];

    /// <inheritdoc/>
    public override LayerSpec Spec
    {
        get
        {
            var settings = SpecSettings();
            if (!ComputeInputGradient) settings["inputGradient"] = "false";
            return new LayerSpec("Conv2D", settings);
        }
    }

    private Dictionary<string, string> SpecSettings() => new()
    {
        ["outChannels"] = OutChannels.ToString(CultureInfo.InvariantCulture),
        ["kernelSize"] = KernelSize.ToString(CultureInfo.InvariantCulture),
        ["stride"] = Stride.ToString(CultureInfo.InvariantCulture),
        ["padding"] = Padding.ToString(CultureInfo.InvariantCulture),
        ["useBias"] = UseBias ? "true" : "false",
        ["weightInit"] = WeightInit.Name,
    };

    /// <summary>Rebuilds a Conv2D from its <see cref="Spec"/> (optional settings take their defaults).</summary>
    public static Conv2D FromSpec(LayerSpec spec) => new(
        spec.GetInt("outChannels"), spec.GetInt("kernelSize"),
        spec.Settings.ContainsKey("stride") ? spec.GetInt("stride") : 1,
        spec.Settings.ContainsKey("padding") ? spec.GetInt("padding") : 0,
        SpecText.GetBool(spec, "useBias", true),
        spec.Settings.TryGetValue("weightInit", out var init) ? Initializer.Parse(init) : null)
    {
        ComputeInputGradient = SpecText.GetBool(spec, "inputGradient", true),
    };

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        var g = ConvGeometry.From(inputShape, KernelSize, Stride, Padding, "Conv2D");
        return [OutChannels, g.OutHeight, g.OutWidth];
    }

    /// <summary>
    /// Filters (outChannels x channels x k x k) and biases; per sample, outChannels · OH · OW outputs of
    /// channels · k · k multiply-adds each.
    /// </summary>
    public override LayerCost Cost(int[] inputShape)
    {
        var g = ConvGeometry.From(inputShape, KernelSize, Stride, Padding, "Conv2D");
        long patch = LayerCost.Times(LayerCost.Times(g.Channels, KernelSize), KernelSize);
        long outputs = LayerCost.Times(OutChannels, LayerCost.Times(g.OutHeight, g.OutWidth));
        long stored = LayerCost.Plus(LayerCost.Times(OutChannels, patch), UseBias ? OutChannels : 0);
        return new LayerCost(stored, outputs, LayerCost.Times(outputs, patch));
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        _g = ConvGeometry.From(inputShape, KernelSize, Stride, Padding, "Conv2D");
        var w = new Tensor(OutChannels, _g.Channels, KernelSize, KernelSize);
        int fanIn = _g.PatchLength, fanOut = OutChannels * KernelSize * KernelSize;
        WeightInit.Fill(w, fanIn, fanOut, rng);
        _weight = new Parameter("weight", w);
        _bias = UseBias ? new Parameter("bias", new Tensor(OutChannels)) { Decays = false } : null;
        _batch = -1;
    }
}
