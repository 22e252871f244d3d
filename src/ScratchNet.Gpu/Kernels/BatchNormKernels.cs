using ILGPU;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Batch normalisation per channel as ILGPU kernels, the same as <c>BatchNorm2D</c> (and, with P = 1,
/// <c>BatchNorm</c>) on the CPU. Training, over the m = N·P values of channel c: <c>μ = mean(x)</c>,
/// <c>σ² = mean((x − μ)²)</c>, <c>x̂ = (x − μ)/√(σ² + ε)</c>, <c>y = γ·x̂ + β</c>, and the running statistics move by
/// <c>r ← (1 − momentum)·r + momentum·batch</c> (the variance's with the unbiased σ²·m/(m − 1)). Inference
/// uses the running statistics. Backward (training), g = dL/dy: <c>dγ = Σ g·x̂</c>, <c>dβ = Σ g</c>,
/// <c>dx = γ/√(σ² + ε) · (g − dβ/m − x̂·dγ/m)</c>; in inference <c>dx = γ/√(σ² + ε) · g</c>.
/// </summary>
/// <remarks>
/// Sums in a fixed order, in double, without atomics: one thread per (n, c) adds its P values in order
/// (<see cref="PlaneSums"/>), then one thread per channel adds those N partial sums in order of n
/// (<see cref="Mean"/>, <see cref="Variance"/>). The result is the same bits on every run. Launch them
/// through <see cref="BatchNormLauncher"/>.
/// </remarks>
public static class BatchNormKernels
{
    /// <summary>Thread t = n·C + c: <c>partial[t] = Σ_q x[(n·C + c)·P + q]</c>.</summary>
    public static void PlaneSums(Index1D t, BatchNormShape s, ArrayView<float> x, ArrayView<double> partial)
    {
        int start = t * s.Plane;
        double sum = 0;
        for (int q = 0; q < s.Plane; q++) sum += x[start + q];
        partial[t] = sum;
    }

    /// <summary>Thread t = n·C + c: <c>partial[t] = Σ_q (x[(n·C + c)·P + q] − μ[c])²</c>.</summary>
    public static void PlaneSquaredDeviations(Index1D t, BatchNormShape s, ArrayView<float> x, ArrayView<double> mean, ArrayView<double> partial)
    {
        int start = t * s.Plane;
        double mu = mean[t % s.Channels], sum = 0;
        for (int q = 0; q < s.Plane; q++)
        {
            double d = x[start + q] - mu;
            sum += d * d;
        }
        partial[t] = sum;
    }

    /// <summary>Thread c: <c>μ[c] = (Σ_n partial[n·C + c]) / m</c>.</summary>
    public static void Mean(Index1D c, BatchNormShape s, ArrayView<double> partial, ArrayView<double> mean)
    {
        double sum = 0;
        for (int n = 0; n < s.Batch; n++) sum += partial[n * s.Channels + c];
        mean[c] = sum / s.Count;
    }

    /// <summary>
    /// Thread c, training: <c>σ² = (Σ_n partial[n·C + c]) / m</c>, <c>invStd[c] = 1/√(σ² + ε)</c>, and the running
    /// statistics updated; inference (<paramref name="training"/> 0): <c>μ[c]</c> ← running mean,
    /// <c>invStd[c] = 1/√(running σ² + ε)</c>.
    /// </summary>
    public static void Variance(Index1D c, BatchNormShape s, int training, float momentum, float epsilon, ArrayView<double> partial,
        ArrayView<double> mean, ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> invStd)
    {
        double variance;
        if (training != 0)
        {
            double sum = 0;
            for (int n = 0; n < s.Batch; n++) sum += partial[n * s.Channels + c];
            variance = sum / s.Count;
            double unbiased = s.Count > 1 ? variance * s.Count / (s.Count - 1) : variance;
            runningMean[c] = (float)((1 - momentum) * runningMean[c] + momentum * mean[c]);
            runningVar[c] = (float)((1 - momentum) * runningVar[c] + momentum * unbiased);
        }
        else
        {
            mean[c] = runningMean[c];
            variance = runningVar[c];
        }
        invStd[c] = (float)(1.0 / Math.Sqrt(variance + epsilon));
    }

    /// <summary>Thread i, channel c = i / P mod C: <c>x̂[i] = (x[i] − μ[c])·invStd[c]</c>, <c>y[i] = γ[c]·x̂[i] + β[c]</c>.</summary>
    public static void Normalize(Index1D i, BatchNormShape s, ArrayView<float> x, ArrayView<double> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> normalized, ArrayView<float> y)
    {
        int c = i / s.Plane % s.Channels;
        float h = (float)((x[i] - mean[c]) * invStd[c]);
        normalized[i] = h;
        y[i] = gamma[c] * h + beta[c];
    }

    /// <summary>Thread t = n·C + c: <c>sumG[t] = Σ_q g</c> and <c>sumGx[t] = Σ_q g·x̂</c> over the plane (n, c).</summary>
    public static void PlaneGradientSums(Index1D t, BatchNormShape s, ArrayView<float> dy, ArrayView<float> normalized, ArrayView<double> sumG, ArrayView<double> sumGx)
    {
        int start = t * s.Plane;
        double g = 0, gx = 0;
        for (int q = 0; q < s.Plane; q++)
        {
            float d = dy[start + q];
            g += d;
            gx += (double)d * normalized[start + q];
        }
        sumG[t] = g;
        sumGx[t] = gx;
    }

    /// <summary>
    /// Thread c: <c>dβ[c] = Σ_n sumG[n·C + c]</c>, <c>dγ[c] = Σ_n sumGx[n·C + c]</c>; then, for the input gradient,
    /// <c>meanG[c] = dβ/m</c> and <c>meanGx[c] = dγ/m</c> in training, 0 in inference.
    /// </summary>
    public static void ParameterGradients(Index1D c, BatchNormShape s, int training, ArrayView<double> sumG, ArrayView<double> sumGx,
        ArrayView<float> gradGamma, ArrayView<float> gradBeta, ArrayView<double> meanG, ArrayView<double> meanGx)
    {
        double g = 0, gx = 0;
        for (int n = 0; n < s.Batch; n++)
        {
            g += sumG[n * s.Channels + c];
            gx += sumGx[n * s.Channels + c];
        }
        gradBeta[c] = (float)g;
        gradGamma[c] = (float)gx;
        meanG[c] = training != 0 ? g / s.Count : 0;
        meanGx[c] = training != 0 ? gx / s.Count : 0;
    }

    /// <summary>Thread i, channel c: <c>dx[i] = γ[c]·invStd[c]·(g[i] − meanG[c] − x̂[i]·meanGx[c])</c>.</summary>
    public static void InputGradient(Index1D i, BatchNormShape s, ArrayView<float> dy, ArrayView<float> normalized, ArrayView<float> gamma,
        ArrayView<float> invStd, ArrayView<double> meanG, ArrayView<double> meanGx, ArrayView<float> dx)
    {
        int c = i / s.Plane % s.Channels;
        dx[i] = (float)(gamma[c] * invStd[c] * (dy[i] - meanG[c] - normalized[i] * meanGx[c]));
    }
}
