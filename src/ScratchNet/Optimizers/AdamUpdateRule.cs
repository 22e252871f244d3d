using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// The Adam update of step t, shared by <see cref="Adam"/> and <see cref="AdamW"/>:
/// m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; θ ← θ − (η / c1) m / (√v / √c2 + ε), where
/// c1 = 1 − β1^t and c2 = 1 − β2^t are the bias corrections (PyTorch's arrangement of the same formula).
/// <see cref="WithDecay"/> gives AdamW's form, θ ← θ·s first (s = 1 − η·λ, the decoupled decay), in the
/// same pass over θ: the bits of the decay as a pass of its own, then the update.
/// </summary>
internal readonly struct AdamUpdateRule : IUpdate3Operator
{
    private readonly float _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _stepSize, _invSqrtC2, _eps;
    private readonly float _shrink = 1f;
    private readonly bool _decays;

    /// <summary>The update of step <paramref name="t"/> (1 on the first step).</summary>
    public AdamUpdateRule(float learningRate, float beta1, float beta2, float epsilon, long t)
    {
        _beta1 = beta1; _oneMinusBeta1 = 1f - beta1;
        _beta2 = beta2; _oneMinusBeta2 = 1f - beta2;
        _stepSize = learningRate / (1f - MathF.Pow(beta1, t));
        _invSqrtC2 = 1f / MathF.Sqrt(1f - MathF.Pow(beta2, t));
        _eps = epsilon;
    }

    private AdamUpdateRule(AdamUpdateRule rule, float shrink)
    {
        this = rule;
        _shrink = shrink;
        _decays = true;
    }

    /// <summary>The same update after θ ← θ·<paramref name="shrink"/> (AdamW's decoupled weight decay).</summary>
    public AdamUpdateRule WithDecay(float shrink) => new(this, shrink);

    public void Invoke(ref float theta, ref float m, ref float v, float g)
    {
        if (_decays) theta *= _shrink;
        m = _beta1 * m + _oneMinusBeta1 * g;
        v = _beta2 * v + _oneMinusBeta2 * (g * g);
        theta -= _stepSize * (m / (MathF.Sqrt(v) * _invSqrtC2 + _eps));
    }

    public void Invoke(ref Vector512<float> theta, ref Vector512<float> m, ref Vector512<float> v, Vector512<float> g)
    {
        if (_decays) theta *= Vector512.Create(_shrink);
        m = Vector512.Create(_beta1) * m + Vector512.Create(_oneMinusBeta1) * g;
        v = Vector512.Create(_beta2) * v + Vector512.Create(_oneMinusBeta2) * (g * g);
        theta -= Vector512.Create(_stepSize) * (m / (Vector512.Sqrt(v) * Vector512.Create(_invSqrtC2) + Vector512.Create(_eps)));
    }

    public void Invoke(ref Vector256<float> theta, ref Vector256<float> m, ref Vector256<float> v, Vector256<float> g)
    {
        if (_decays) theta *= Vector256.Create(_shrink);
        m = Vector256.Create(_beta1) * m + Vector256.Create(_oneMinusBeta1) * g;
        v = Vector256.Create(_beta2) * v + Vector256.Create(_oneMinusBeta2) * (g * g);
        theta -= Vector256.Create(_stepSize) * (m / (Vector256.Sqrt(v) * Vector256.Create(_invSqrtC2) + Vector256.Create(_eps)));
    }

    public void Invoke(ref Vector128<float> theta, ref Vector128<float> m, ref Vector128<float> v, Vector128<float> g)
    {
        if (_decays) theta *= Vector128.Create(_shrink);
        m = Vector128.Create(_beta1) * m + Vector128.Create(_oneMinusBeta1) * g;
        v = Vector128.Create(_beta2) * v + Vector128.Create(_oneMinusBeta2) * (g * g);
        theta -= Vector128.Create(_stepSize) * (m / (Vector128.Sqrt(v) * Vector128.Create(_invSqrtC2) + Vector128.Create(_eps)));
    }
}
