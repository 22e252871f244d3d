using System.Runtime.Intrinsics;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Plain (stochastic) gradient descent: θ ← θ - η ∇θ. With the batch size equal to the dataset size
/// this is full-batch gradient descent. It keeps no state.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Gradient descent with step size <paramref name="learningRate"/> (η).</summary>
    public Sgd(float learningRate) : base(learningRate) { }

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        var rule = new UpdateRule(LearningRate);
        for (int i = 0; i < parameters.Count; i++)
        {
            var theta = parameters[i].Value.Span;
            Vectorized.Transform(rule, theta, parameters[i].Gradient.Span, theta);
        }
        StepCount++;
    }

    /// <inheritdoc/>
    protected override void CheckState(IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count > 0)
            throw new FormatException($"{Name} keeps no state, but is given tensor '{TextExcerpt.Of(state.Keys.First())}'.");
    }

    /// <summary>θ − η g.</summary>
    internal readonly struct UpdateRule(float learningRate) : IBinaryOperator
    {
        private readonly float _lr = learningRate;
        public float Invoke(float theta, float g) => theta - _lr * g;
        public Vector512<float> Invoke(Vector512<float> theta, Vector512<float> g) => theta - Vector512.Create(_lr) * g;
        public Vector256<float> Invoke(Vector256<float> theta, Vector256<float> g) => theta - Vector256.Create(_lr) * g;
        public Vector128<float> Invoke(Vector128<float> theta, Vector128<float> g) => theta - Vector128.Create(_lr) * g;
    }
}
