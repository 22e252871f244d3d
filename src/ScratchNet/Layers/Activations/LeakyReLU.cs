using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>Leaky ReLU: y = x for x &gt; 0, else α x; dy/dx = 1 or α. Keeps a small gradient for negative inputs.</summary>
public sealed class LeakyReLU : Activation
{
    /// <summary>A leaky ReLU with slope <paramref name="alpha"/> for negative inputs.</summary>
    public LeakyReLU(float alpha = 0.01f)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), $"LeakyReLU: alpha must be finite (got {alpha}).");
        Alpha = alpha;
    }

    /// <summary>The slope for x ≤ 0.</summary>
    public float Alpha { get; }

    public override LayerSpec Spec => new("LeakyReLU", new Dictionary<string, string> { ["alpha"] = SpecText.Float(Alpha) });

    protected override void Apply(Tensor input, Tensor output)
    {
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : Alpha * x[i];
    }

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        var x = input.Span; var dy = gradOutput.Span; var dx = gradInput.Span;
        for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : Alpha * dy[i];
    }
}
