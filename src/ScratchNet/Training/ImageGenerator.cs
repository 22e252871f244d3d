using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// The decoder inside a model (an autoencoder's second half, a GAN's generator), as its model file's
/// <see cref="GeneratorSpec"/> marks it: <see cref="Decode"/> maps codes z (n, D) to images, pixels in
/// [0, 1]; <see cref="Sample"/> draws z ~ N(0, I) first (an image generator); <see cref="Encode"/> runs
/// the layers before the decoder in inference mode, which for a variational autoencoder gives μ.
/// </summary>
/// <remarks>
/// z is drawn row-major from the given <see cref="Rng"/> and the layers sum in a fixed order, so the same
/// seed gives the same images, bit for bit, whatever the thread count. Work runs in batches of at most
/// <see cref="BatchSize"/> rows.
/// </remarks>
public sealed class ImageGenerator
{
    /// <summary>Rows per forward batch.</summary>
    public const int BatchSize = 500;

    private readonly Sequential _model;
    private readonly int _first, _end;

    /// <summary>The decoder of <paramref name="model"/> (built) that <paramref name="spec"/> describes.</summary>
    /// <exception cref="ArgumentException">The spec's decoder path is not a layer of the model, the layer before it does not give D values, or the model's output is not an image of the spec's shape.</exception>
    public ImageGenerator(Sequential model, GeneratorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        if (!model.IsBuilt) throw new ArgumentException("the model is not built", nameof(model));
        int first, end;
        try { (first, end) = (spec.DecoderIndex, spec.EndIndex ?? model.Layers.Count); }
        catch (FormatException e) { throw new ArgumentException(e.Message, nameof(spec), e); }
        if (first >= end || end > model.Layers.Count)
            throw new ArgumentException($"the generator's decoder runs from {spec.Decoder} to {spec.End ?? "the end"}, but the model has {model.Layers.Count} layers", nameof(spec));
        int[] codeShape = first == 0 ? model.InputShape : model.Layers[first - 1].OutputShape(model.Layers[first - 1].InputShape);
        if (codeShape is not [int d] || d != spec.Latent)
            throw new ArgumentException($"the generator's decoder at {spec.Decoder} reads {Tensor.FormatShape(codeShape)}, not a code of {spec.Latent} values", nameof(spec));
        long pixels = LayerCost.Elements(spec.Image);
        int[] decoded = model.Layers[end - 1].OutputShape(model.Layers[end - 1].InputShape);
        if (LayerCost.Elements(decoded) != pixels)
            throw new ArgumentException($"the decoder's output {Tensor.FormatShape(decoded)} is not an image of shape {Tensor.FormatShape(spec.Image)}", nameof(spec));
        _model = model;
        _first = first;
        _end = end;
        Spec = spec;
    }

    /// <summary>What the model file says about the decoder.</summary>
    public GeneratorSpec Spec { get; }

    /// <summary>D, the values of a code.</summary>
    public int Latent => Spec.Latent;

    /// <summary>Pixels per image.</summary>
    public int PixelCount => (int)LayerCost.Elements(Spec.Image);

    /// <summary>
    /// <paramref name="count"/> images from codes z ~ N(0, I) drawn from <paramref name="rng"/> (row by
    /// row): shape (count, pixels), values in [0, 1].
    /// </summary>
    /// <exception cref="InvalidOperationException">The decoder has no prior to draw codes from (a plain autoencoder's).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in [1, <see cref="Limits.MaxGeneratedImages"/>].</exception>
    public Tensor Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!Spec.IsGenerator)
            throw new InvalidOperationException($"the decoder has no prior to draw codes from (prior '{Spec.Prior}': a plain autoencoder's codes follow no known law)");
        if (count < 1 || count > Limits.MaxGeneratedImages)
            throw new ArgumentOutOfRangeException(nameof(count), $"The image count must be in [1, {Limits.MaxGeneratedImages:N0}] (got {count}).");
        return Decode(DrawCodes(count, rng));
    }

    /// <summary>A (count, D) tensor of independent N(0, 1) values from <paramref name="rng"/>, in row order: the codes <see cref="Sample"/> decodes.</summary>
    public Tensor DrawCodes(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var z = new Tensor(count, Latent);
        rng.FillGaussian(z.Span);
        return z;
    }

    /// <summary>The images of codes <paramref name="codes"/> (n, D): shape (n, pixels), values in [0, 1].</summary>
    /// <exception cref="ArgumentException">The codes are not (n, D).</exception>
    public Tensor Decode(Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2 || codes.Dim(1) != Latent)
            throw new ArgumentException($"codes of shape {codes.ShapeString}, not (n, {Latent})", nameof(codes));
        int n = codes.Dim(0);
        var images = new Tensor(n, PixelCount);
        for (int start = 0; start < n; start += BatchSize)
        {
            int rows = Math.Min(BatchSize, n - start);
            Tensor h = codes.SliceRows(start, rows);
            for (int i = _first; i < _end; i++) h = _model.Layers[i].Forward(h, training: false);
            ToPixels(h.Span, images.SliceRows(start, rows).Span);
        }
        return images;
    }

    /// <summary>The codes of images <paramref name="inputs"/> (n, ...model input): the layers before the decoder in inference mode (μ for a variational autoencoder); shape (n, D).</summary>
    /// <exception cref="ArgumentException">The inputs do not fit the model.</exception>
    public Tensor Encode(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank < 2 || !inputs.Shape[1..].SequenceEqual(_model.InputShape))
            throw new ArgumentException($"inputs of shape {inputs.ShapeString}, not (n, {string.Join(", ", _model.InputShape)})", nameof(inputs));
        int n = inputs.Dim(0);
        var codes = new Tensor(n, Latent);
        for (int start = 0; start < n; start += BatchSize)
        {
            int rows = Math.Min(BatchSize, n - start);
            Tensor h = inputs.SliceRows(start, rows);
            for (int i = 0; i < _first; i++) h = _model.Layers[i].Forward(h, training: false);
            h.Span.CopyTo(codes.SliceRows(start, rows).Span);
        }
        return codes;
    }

    /// <summary>The decoder's output as pixels in [0, 1]: σ(x) for logits, (x + 1)/2 for tanh, x clamped for a sigmoid output.</summary>
    private void ToPixels(ReadOnlySpan<float> output, Span<float> pixels)
    {
        for (int i = 0; i < output.Length; i++)
        {
            float x = output[i];
            float p = Spec.Output switch
            {
                "logits" => 1f / (1f + MathF.Exp(-x)),
                "tanh" => (x + 1f) * 0.5f,
                _ => x,
            };
            pixels[i] = Math.Clamp(p, 0f, 1f);
        }
    }
}
