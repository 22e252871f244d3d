using System.Runtime.Intrinsics;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Gradient descent with (heavy-ball) momentum, in PyTorch's convention (the learning rate outside
/// the velocity):
/// <code>
/// v ← μ v + ∇θ
/// θ ← θ - η v                (heavy ball)
/// θ ← θ - η (∇θ + μ v)       (Nesterov: PyTorch's SGD with nesterov=True)
/// </code>
/// v starts at 0, so the first heavy-ball step equals plain SGD. Nesterov's look-ahead is folded
/// into the update, so the gradient is taken at the stored θ. (The other common convention,
/// v ← μv + η∇θ, θ ← θ - v, gives the same path for a constant η but differs when a schedule changes η.)
/// </summary>
public sealed class Momentum : StatefulOptimizer
{
    /// <summary>
    /// Momentum with step size η = <paramref name="learningRate"/> and coefficient μ = <paramref name="momentum"/>
    /// in [0, 1); with <paramref name="nesterov"/>, Nesterov's accelerated gradient.
    /// </summary>
    public Momentum(float learningRate, float momentum = 0.9f, bool nesterov = false) : base(learningRate, "v")
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum must be in [0, 1) (got {momentum}).");
        MomentumCoefficient = momentum;
        Nesterov = nesterov;
    }

    /// <summary>μ, the fraction of the velocity kept at each step.</summary>
    public float MomentumCoefficient { get; }

    /// <summary>Whether the step is θ ← θ - η (∇θ + μ v) (Nesterov) rather than θ ← θ - η v.</summary>
    public bool Nesterov { get; }

    /// <summary>"Momentum", or "Nesterov" with the look-ahead: metrics, checkpoints and the command line name the rule that ran.</summary>
    public override string Name => Nesterov ? "Nesterov" : "Momentum";

    /// <inheritdoc/>
    protected override void Update(IReadOnlyList<Parameter> parameters, long t)
    {
        var rule = new UpdateRule(LearningRate, MomentumCoefficient, Nesterov);
        Tensor[] v = Slot(0);
        for (int p = 0; p < parameters.Count; p++)
            Vectorized.Update(rule, parameters[p].Value.Span, v[p].Span, parameters[p].Gradient.Span);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>(OptimizerSettings.With(base.Settings, ("momentum", MomentumCoefficient)));
            if (Nesterov) settings["nesterov"] = "true";
            return settings;
        }
    }

    /// <summary>v ← μ v + g; θ ← θ − η v, or θ ← θ − η (g + μ v) with Nesterov.</summary>
    internal readonly struct UpdateRule(float learningRate, float momentum, bool nesterov) : IUpdate2Operator
    {
        private readonly float _lr = learningRate, _mu = momentum;
        private readonly bool _nesterov = nesterov;

        public void Invoke(ref float theta, ref float v, float g)
        {
            v = _mu * v + g;
            theta -= _lr * (_nesterov ? g + _mu * v : v);
        }

        public void Invoke(ref Vector512<float> theta, ref Vector512<float> v, Vector512<float> g)
        {
            var mu = Vector512.Create(_mu);
            v = mu * v + g;
            theta -= Vector512.Create(_lr) * (_nesterov ? g + mu * v : v);
        }

        public void Invoke(ref Vector256<float> theta, ref Vector256<float> v, Vector256<float> g)
        {
            var mu = Vector256.Create(_mu);
            v = mu * v + g;
            theta -= Vector256.Create(_lr) * (_nesterov ? g + mu * v : v);
        }

        public void Invoke(ref Vector128<float> theta, ref Vector128<float> v, Vector128<float> g)
        {
            var mu = Vector128.Create(_mu);
            v = mu * v + g;
            theta -= Vector128.Create(_lr) * (_nesterov ? g + mu * v : v);
        }
    }
}
