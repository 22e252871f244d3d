using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Gradient clipping by global norm (Pascanu et al., 2013), as PyTorch's clip_grad_norm_: with
/// ‖g‖ = √(Σ over all parameters Σ_i g_i²), every gradient is scaled by
/// <code>
/// s = min(1, c / (‖g‖ + 10⁻⁶))
/// </code>
/// so that the whole gradient keeps its direction and its norm is at most about c. The 10⁻⁶ is
/// PyTorch's (it keeps a zero gradient from dividing by zero), so the twins clip alike.
/// </summary>
/// <remarks>
/// The squares are summed per parameter by the vector reduction (a fixed order within one span) and the
/// parameters' sums added in double in list order: the norm does not depend on the thread count.
/// Loops index the list: foreach over an IReadOnlyList boxes its enumerator, and a training step must not allocate.
/// </remarks>
public static class GradientClipping
{
    /// <summary>The guard added to ‖g‖ before dividing, as PyTorch's clip_grad_norm_.</summary>
    public const double Guard = 1e-6;

    /// <summary>‖g‖ = √(Σ_p Σ_i (dL/dθ_p,i)²) over all <paramref name="parameters"/>' gradients.</summary>
    public static double GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double squares = 0;
        for (int i = 0; i < parameters.Count; i++) squares += TensorMath.SumOfSquares(parameters[i].Gradient.Span);
        return Math.Sqrt(squares);
    }

    /// <summary>
    /// Scales every gradient by min(1, <paramref name="maxNorm"/> / (‖g‖ + 10⁻⁶)) and returns ‖g‖ before
    /// clipping. A non-finite ‖g‖ leaves the gradients as they are (the training loop's divergence checks
    /// report it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not a positive finite number.</exception>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        if (!(maxNorm > 0) || float.IsInfinity(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"The gradient clipping norm must be a positive number (got {maxNorm}).");
        double norm = GlobalNorm(parameters);
        if (!double.IsFinite(norm)) return norm;
        double scale = maxNorm / (norm + Guard);
        if (scale >= 1) return norm;
        for (int i = 0; i < parameters.Count; i++)
        {
            var g = parameters[i].Gradient.Span;
            TensorMath.Scale(g, (float)scale, g);
        }
        return norm;
    }
}
