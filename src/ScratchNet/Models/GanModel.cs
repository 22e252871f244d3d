using System.Globalization;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// A generative adversarial network held as one stack of layers: the generator's first
/// <see cref="GeneratorLayerCount"/> layers, then the discriminator's. The generator G maps a code
/// z ~ N(0, I) of <see cref="LatentSize"/> values to an image x̂ = G(z); the discriminator D maps an
/// image to one logit, D(x) = log(p / (1 - p)) for p the probability that x is real. The stack itself
/// computes D(G(z)), the composite the generator's loss −log σ(D(G(z))) runs through, and is what
/// model files and checkpoints hold (tensors "layers.{i}", as for a <see cref="Sequential"/>).
/// </summary>
/// <remarks>
/// As a <see cref="Model"/> it is the discriminator: its input is an image, <see cref="Forward"/> is
/// D(x) and <see cref="Model.Backward(Tensor, bool)"/> back-propagates through D alone. The generator's
/// part runs through <see cref="Generate"/> and <see cref="BackwardGenerator"/>; dL/dx̂ from D's
/// backward pass is the gradient the generator learns from.
/// </remarks>
/// <example>
/// <code>
/// var stack = new Sequential(new Dense(128), new LeakyReLU(0.2f), new Dense(784), new Sigmoid(),   // G
///                            new Dense(128), new LeakyReLU(0.2f), new Dense(1));                   // D
/// var gan = new GanModel(stack, generatorLayers: 4, latentSize: 64).Build([784], new Rng(1));
/// Tensor images = gan.Sample(16, new Rng(7));   // (16, 784)
/// </code>
/// </example>
public sealed class GanModel : Model
{
    private readonly Sequential _stack;
    private int[] _imageShape = [];
    private Parameter[] _generatorParameters = [], _discriminatorParameters = [];

    /// <summary>
    /// A GAN over <paramref name="stack"/>, whose first <paramref name="generatorLayers"/> layers are the
    /// generator, taking codes of <paramref name="latentSize"/> values. A built stack (read from a model
    /// file) makes a built GAN; an unbuilt one is built by <see cref="Build(int[], Rng)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The split leaves either part without layers, or a built stack does not take codes of <paramref name="latentSize"/>.</exception>
    public GanModel(Sequential stack, int generatorLayers, int latentSize)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (generatorLayers < 1 || generatorLayers >= stack.Layers.Count)
            throw new ArgumentException($"A GAN's generator is layers 0 to k-1 of the stack and its discriminator the rest: k must be 1 to {stack.Layers.Count - 1} (got {generatorLayers}).", nameof(generatorLayers));
        if (latentSize < 1 || latentSize > Limits.MaxLatentSize)
            throw new ArgumentException($"The latent size must be 1 to {Limits.MaxLatentSize} (got {latentSize}).", nameof(latentSize));
        _stack = stack;
        GeneratorLayerCount = generatorLayers;
        LatentSize = latentSize;
        if (stack.IsBuilt)
        {
            if (!stack.InputShape.AsSpan().SequenceEqual([latentSize]))
                throw new ArgumentException($"The stack takes input {Tensor.FormatShape(stack.InputShape)}, not codes of {latentSize} values.", nameof(stack));
            Split();
        }
    }

    /// <summary>The generator's layers then the discriminator's: the model z ↦ D(G(z)) that files hold.</summary>
    public Sequential Stack => _stack;

    /// <summary>k: layers 0 .. k-1 of <see cref="Stack"/> are the generator.</summary>
    public int GeneratorLayerCount { get; }

    /// <summary>d, the size of the code z ∈ ℝ^d the generator takes.</summary>
    public int LatentSize { get; }

    /// <inheritdoc/>
    public override bool IsBuilt => _stack.IsBuilt;

    /// <summary>The image shape: the generator's output and the discriminator's input.</summary>
    public override int[] InputShape => _imageShape;

    /// <summary>The discriminator's output: one logit per image.</summary>
    public override int[] OutputShape => _stack.OutputShape;

    /// <summary>
    /// Builds the stack for codes of <see cref="LatentSize"/> values (the generator's layers first, then
    /// the discriminator's, from <paramref name="rng"/>) and checks that the generator draws images of
    /// <paramref name="inputShape"/>, the discriminator's input.
    /// </summary>
    /// <exception cref="ArgumentException">The generator's output is not of <paramref name="inputShape"/>, or a layer refuses its input.</exception>
    public override GanModel Build(int[] inputShape, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int[] shape = [LatentSize];
        for (int i = 0; i < GeneratorLayerCount; i++) shape = _stack.Layers[i].OutputShape(shape);
        if (!shape.AsSpan().SequenceEqual(inputShape))
            throw new ArgumentException($"The generator draws images of shape {Tensor.FormatShape(shape)}, but the samples are {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        _stack.Build([LatentSize], rng);
        Split();
        return this;
    }

    private void Split()
    {
        int[] shape = [LatentSize];
        for (int i = 0; i < GeneratorLayerCount; i++) shape = _stack.Layers[i].OutputShape(shape);
        _imageShape = shape;
        _generatorParameters = _stack.Layers.Take(GeneratorLayerCount).SelectMany(l => l.Parameters).ToArray();
        _discriminatorParameters = _stack.Layers.Skip(GeneratorLayerCount).SelectMany(l => l.Parameters).ToArray();
    }

    /// <summary>Every parameter: the generator's, then the discriminator's.</summary>
    public override IReadOnlyList<Parameter> Parameters => _stack.Parameters;

    /// <summary>The generator's parameters, in layer order.</summary>
    public IReadOnlyList<Parameter> GeneratorParameters => _generatorParameters;

    /// <summary>The discriminator's parameters, in layer order.</summary>
    public IReadOnlyList<Parameter> DiscriminatorParameters => _discriminatorParameters;

    /// <summary>The stack's layers, "layers.{i}": the generator's are 0 .. k-1.</summary>
    public override IReadOnlyList<(string Path, Layer Layer)> NamedLayers => _stack.NamedLayers;

    /// <summary>D(x): one logit per image of the batch.</summary>
    public override Tensor Forward(Tensor input, bool training = false)
    {
        RequireBuilt();
        return Run(GeneratorLayerCount, _stack.Layers.Count, input, training);
    }

    /// <summary>
    /// Back-propagates dL/dD through the discriminator, writing its parameter gradients; returns dL/dx of
    /// its input images when <paramref name="inputGradient"/> (the generator's step), else null.
    /// </summary>
    public override Tensor? Backward(Tensor gradOutput, bool inputGradient)
    {
        RequireBuilt();
        return Back(GeneratorLayerCount, _stack.Layers.Count, gradOutput, inputGradient);
    }

    /// <summary>x̂ = G(z) for a batch of codes (batch, <see cref="LatentSize"/>); owned by the generator's last layer.</summary>
    public Tensor Generate(Tensor codes, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(codes);
        RequireBuilt();
        if (codes.Rank != 2 || codes.Dim(1) != LatentSize)
            throw new ShapeMismatchException("The codes given to the generator", $"(batch, {LatentSize})", codes.ShapeString);
        return Run(0, GeneratorLayerCount, codes, training);
    }

    /// <summary>
    /// Back-propagates dL/dx̂ of the last <see cref="Generate"/> batch through the generator, writing
    /// its parameter gradients (nothing is computed for dL/dz).
    /// </summary>
    public void BackwardGenerator(Tensor gradImages)
    {
        ArgumentNullException.ThrowIfNull(gradImages);
        RequireBuilt();
        Back(0, GeneratorLayerCount, gradImages, inputGradient: false);
    }

    /// <summary>
    /// <paramref name="count"/> images G(z), each z ~ N(0, I) drawn from <paramref name="rng"/> (row by
    /// row, value by value), as a new tensor (count, ...<see cref="InputShape"/>). The same generator
    /// state gives the same images, whatever the thread count.
    /// </summary>
    public Tensor Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 1 || count > Limits.MaxGeneratedImages)
            throw new ArgumentOutOfRangeException(nameof(count), $"The number of images must be 1 to {Limits.MaxGeneratedImages:N0} (got {count}).");
        return Sample(DrawCodes(count, rng));
    }

    /// <summary>G(z) for the given codes, as a new tensor (rows, ...<see cref="InputShape"/>), in batches of at most 256 rows.</summary>
    public Tensor Sample(Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        RequireBuilt();
        if (codes.Rank != 2 || codes.Dim(1) != LatentSize)
            throw new ShapeMismatchException("The codes given to the generator", $"(batch, {LatentSize})", codes.ShapeString);
        const int batch = 256;
        int n = codes.Dim(0);
        var images = new Tensor([n, .. _imageShape]);
        for (int start = 0; start < n; start += batch)
        {
            int rows = Math.Min(batch, n - start);
            Generate(codes.SliceRows(start, rows)).Span.CopyTo(images.SliceRows(start, rows).Span);
        }
        return images;
    }

    /// <summary>A (count, <see cref="LatentSize"/>) tensor of independent N(0, 1) values from <paramref name="rng"/>, in row order.</summary>
    public Tensor DrawCodes(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var z = new Tensor(count, LatentSize);
        rng.FillGaussian(z.Span);
        return z;
    }

    /// <summary>The stack's table, then which layers are the generator's and which the discriminator's.</summary>
    public override string Summary() =>
        _stack.Summary() + Environment.NewLine + string.Create(CultureInfo.InvariantCulture,
            $"generator: layers 0-{GeneratorLayerCount - 1} (code of {LatentSize}); discriminator: layers {GeneratorLayerCount}-{_stack.Layers.Count - 1}");

    private Tensor Run(int from, int to, Tensor input, bool training)
    {
        Tensor x = input;
        for (int i = from; i < to; i++) x = _stack.Layers[i].Forward(x, training);
        return x;
    }

    /// <summary>
    /// Layers to-1 down to from, backward. Without <paramref name="inputGradient"/>, as in
    /// <see cref="Sequential.Backward(Tensor, bool)"/>: the lowest layer with parameters skips its dL/dx
    /// and the parameter-free layers below it are not run.
    /// </summary>
    private Tensor? Back(int from, int to, Tensor gradOutput, bool inputGradient)
    {
        var layers = _stack.Layers;
        int stop = from;
        if (!inputGradient)
        {
            while (stop < to && layers[stop].Parameters.Count == 0) stop++;
            if (stop == to) return null;
        }
        var lowest = layers[stop];
        bool saved = lowest.InputGradientRequired;
        lowest.InputGradientRequired = inputGradient;
        try
        {
            Tensor g = gradOutput;
            for (int i = to - 1; i >= stop; i--) g = layers[i].Backward(g);
            return inputGradient ? g : null;
        }
        finally
        {
            lowest.InputGradientRequired = saved;
        }
    }

    private void RequireBuilt()
    {
        if (!IsBuilt) throw new InvalidOperationException("The GAN is not built: call Build(imageShape, rng) first.");
    }
}
