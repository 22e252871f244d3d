using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Gaussian error linear unit, exact form (PyTorch's default): y = x Φ(x), where Φ is the standard
/// normal CDF, Φ(x) = (1 + erf(x/√2)) / 2; dy/dx = Φ(x) + x φ(x), φ the normal density.
/// </summary>
/// <remarks>
/// We use the exact (erf) form rather than the tanh approximation so results match PyTorch's
/// nn.GELU(); erf is computed in double with a fit accurate to 1.2e-7 relative.
/// </remarks>
public sealed class GELU : Activation
{
    protected override void Apply(Tensor input, Tensor output)
    {
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < x.Length; i++) y[i] = (float)(x[i] * ErrorFunction.NormalCdf(x[i]));
    }

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        var x = input.Span; var dy = gradOutput.Span; var dx = gradInput.Span;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            dx[i] = (float)((ErrorFunction.NormalCdf(xi) + xi * ErrorFunction.NormalPdf(xi)) * dy[i]);
        }
    }
}
