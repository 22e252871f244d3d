using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Exponential linear unit: y = x for x &gt; 0, else α (eˣ - 1); dy/dx = 1 for x &gt; 0, else α eˣ = y + α.
/// </summary>
public sealed class ELU : Activation
{
    /// <summary>An ELU whose negative side saturates at -<paramref name="alpha"/>.</summary>
    public ELU(float alpha = 1f)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), $"ELU: alpha must be finite (got {alpha}).");
        Alpha = alpha;
    }

    /// <summary>The negative saturation value's magnitude.</summary>
    public float Alpha { get; }

    public override LayerSpec Spec => new("ELU", new Dictionary<string, string> { ["alpha"] = SpecText.Float(Alpha) });

    protected override void Apply(Tensor input, Tensor output)
    {
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : Alpha * (MathF.Exp(x[i]) - 1f);
    }

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        var x = input.Span; var dy = gradOutput.Span; var dx = gradInput.Span;
        for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : Alpha * MathF.Exp(x[i]) * dy[i];
    }
}
