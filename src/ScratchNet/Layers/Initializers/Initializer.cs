using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>
/// A rule for the starting values of a weight tensor, from its fan-in (inputs per output unit) and
/// fan-out (outputs per input unit). The scale rules keep the variance of activations (Glorot, LeCun)
/// or of ReLU activations (He) roughly constant from layer to layer, so deep networks start trainable.
/// </summary>
/// <remarks>
/// Defaults in ScratchNet: <c>Dense</c> uses <see cref="XavierUniform"/> (Glorot) unless told
/// otherwise; pass <see cref="HeNormal"/> or <see cref="HeUniform"/> for layers followed by ReLU,
/// LeakyReLU, ELU or GELU (see <see cref="ForActivation"/>). Biases start at zero.
/// </remarks>
public abstract class Initializer
{
    /// <summary>The name used in layer specs: "HeNormal", "Constant(0.5)".</summary>
    public abstract string Name { get; }

    /// <summary>Overwrites every element of <paramref name="weights"/> with a starting value.</summary>
    public abstract void Fill(Tensor weights, int fanIn, int fanOut, Rng rng);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>
    /// The conventional initialiser for weights feeding an activation of this type name: He (Kaiming)
    /// normal for the ReLU family ("ReLU", "LeakyReLU", "ELU", "GELU"), Glorot uniform otherwise.
    /// </summary>
    public static Initializer ForActivation(string activationType) => activationType switch
    {
        "ReLU" or "LeakyReLU" or "ELU" or "GELU" => new HeNormal(),
        _ => new XavierUniform(),
    };

    /// <summary>Parses a name written by <see cref="Name"/>: "XavierUniform", "HeNormal", "Constant(0.25)", ...</summary>
    public static Initializer Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name.Trim();
        if (n.StartsWith("Constant(", StringComparison.Ordinal) && n.EndsWith(')'))
        {
            string v = n["Constant(".Length..^1];
            return float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                ? new Constant(value)
                : throw new FormatException($"Initializer '{TextExcerpt.Of(name)}': '{TextExcerpt.Of(v)}' is not a number.");
        }
        return n switch
        {
            "XavierUniform" or "GlorotUniform" => new XavierUniform(),
            "XavierNormal" or "GlorotNormal" => new XavierNormal(),
            "HeUniform" or "KaimingUniform" => new HeUniform(),
            "HeNormal" or "KaimingNormal" => new HeNormal(),
            "LeCunUniform" => new LeCunUniform(),
            "LeCunNormal" => new LeCunNormal(),
            "FanInUniform" => new FanInUniform(),
            "Zeros" => new Zeros(),
            _ => throw new FormatException($"Unknown initializer '{TextExcerpt.Of(name)}'. Known: XavierUniform, XavierNormal, HeUniform, HeNormal, LeCunUniform, LeCunNormal, FanInUniform, Zeros, Constant(value)."),
        };
    }

    /// <summary>Fills with U(-limit, limit).</summary>
    protected static void FillUniform(Tensor weights, float limit, Rng rng)
    {
        var w = weights.Span;
        for (int i = 0; i < w.Length; i++) w[i] = rng.NextUniform(-limit, limit);
    }

    /// <summary>Fills with N(0, std²) (not truncated, like PyTorch's kaiming_normal_ and xavier_normal_).</summary>
    protected static void FillNormal(Tensor weights, float std, Rng rng)
    {
        var w = weights.Span;
        for (int i = 0; i < w.Length; i++) w[i] = (float)(std * rng.NextGaussian());
    }

    /// <summary>Throws unless the fans are positive.</summary>
    protected void RequireFans(int fanIn, int fanOut)
    {
        if (fanIn <= 0 || fanOut <= 0)
            throw new ArgumentOutOfRangeException(nameof(fanIn), $"{Name}: fan-in and fan-out must be positive (got {fanIn} and {fanOut}).");
    }
}
