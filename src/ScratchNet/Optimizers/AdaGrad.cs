using System.Runtime.Intrinsics;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// AdaGrad: each parameter's step shrinks with the sum of its squared gradients so far.
/// <code>
/// G ← G + ∇θ²
/// θ ← θ - η ∇θ / (√G + ε)
/// </code>
/// G starts at 0; ε (default 1e-10, as PyTorch) only guards the division.
/// </summary>
public sealed class AdaGrad : StatefulOptimizer
{
    /// <summary>AdaGrad with step size η and guard ε.</summary>
    public AdaGrad(float learningRate, float epsilon = 1e-10f) : base(learningRate, "sum")
    {
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be >= 0 (got {epsilon}).");
        Epsilon = epsilon;
    }

    /// <summary>ε, added to √G.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override bool IsNonNegative(int slot) => slot == 0;

    /// <inheritdoc/>
    protected override void Update(IReadOnlyList<Parameter> parameters, long t)
    {
        var rule = new UpdateRule(LearningRate, Epsilon);
        Tensor[] sum = Slot(0);
        for (int p = 0; p < parameters.Count; p++)
            Vectorized.Update(rule, parameters[p].Value.Span, sum[p].Span, parameters[p].Gradient.Span);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings => OptimizerSettings.With(base.Settings, ("epsilon", Epsilon));

    /// <summary>G ← G + g²; θ ← θ − η g / (√G + ε).</summary>
    internal readonly struct UpdateRule(float learningRate, float epsilon) : IUpdate2Operator
    {
        private readonly float _lr = learningRate, _eps = epsilon;

        public void Invoke(ref float theta, ref float sum, float g)
        {
            sum += g * g;
            theta -= _lr * g / (MathF.Sqrt(sum) + _eps);
        }

        public void Invoke(ref Vector512<float> theta, ref Vector512<float> sum, Vector512<float> g)
        {
            sum += g * g;
            theta -= Vector512.Create(_lr) * g / (Vector512.Sqrt(sum) + Vector512.Create(_eps));
        }

        public void Invoke(ref Vector256<float> theta, ref Vector256<float> sum, Vector256<float> g)
        {
            sum += g * g;
            theta -= Vector256.Create(_lr) * g / (Vector256.Sqrt(sum) + Vector256.Create(_eps));
        }

        public void Invoke(ref Vector128<float> theta, ref Vector128<float> sum, Vector128<float> g)
        {
            sum += g * g;
            theta -= Vector128.Create(_lr) * g / (Vector128.Sqrt(sum) + Vector128.Create(_eps));
        }
    }
}
