namespace ScratchNet.Layers.Activations;

/// <summary>The error function, for the exact GELU.</summary>
internal static class ErrorFunction
{
    /// <summary>
    /// erfc(x) = 1 - erf(x) = (2/√π) ∫ₓ^∞ e^(-t²) dt, by the Chebyshev fit of Numerical Recipes
    /// (erfcc): relative error below 1.2e-7 for every x, ample for float32.
    /// </summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }

    /// <summary>Φ(x) = P(N(0,1) ≤ x) = erfc(-x / √2) / 2.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x * 0.70710678118654752);

    /// <summary>φ(x) = e^(-x²/2) / √(2π).</summary>
    public static double NormalPdf(double x) => 0.39894228040143268 * Math.Exp(-0.5 * x * x);
}
