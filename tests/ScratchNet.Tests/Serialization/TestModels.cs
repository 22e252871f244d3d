using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Serialization;

/// <summary>Small models and a stateful optimizer for the serialization tests.</summary>
internal static class TestModels
{
    /// <summary>Dense-BatchNorm-ReLU-Dropout-Dense on (features) inputs, built from <paramref name="seed"/>.</summary>
    public static Sequential Mlp(int features = 5, int classes = 3, ulong seed = 1) =>
        new Sequential(new Dense(8, new HeNormal()), new BatchNorm(), new ReLU(), new Dropout(0.25f), new Dense(classes))
            .Build([features], seed);

    public static Tensor RandomInput(int batch, int features, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Tensor(batch, features);
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextGaussian();
        return x;
    }

    public static int[] Bits(Tensor t) => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>One deterministic training step with a squared-error gradient (enough to move weights and optimizer state).</summary>
    public static void Step(Sequential model, Optimizer optimizer, Tensor x)
    {
        var y = model.Forward(x, training: true);
        var grad = y.Clone();
        for (int i = 0; i < grad.Length; i++) grad[i] = 2 * grad[i] / grad.Length;
        model.Backward(grad);
        optimizer.Step(model.Parameters);
    }
}

/// <summary>Heavy-ball momentum: v ← μv + g; θ ← θ - ηv (state "p{i}.v"), to exercise optimizer state in checkpoints.</summary>
internal sealed class TestMomentum(float learningRate, float momentum = 0.9f) : Optimizer(learningRate)
{
    private Tensor[] _velocity = [];

    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        if (_velocity.Length == 0) _velocity = parameters.Select(p => new Tensor(p.Value.ShapeArray())).ToArray();
        for (int i = 0; i < parameters.Count; i++)
        {
            var v = _velocity[i].Span; var g = parameters[i].Gradient.Span; var w = parameters[i].Value.Span;
            for (int j = 0; j < v.Length; j++) { v[j] = momentum * v[j] + g[j]; w[j] -= LearningRate * v[j]; }
        }
        StepCount++;
    }

    public override IReadOnlyList<(string Name, Tensor Value)> GetState() => _velocity.Select((v, i) => ($"p{i}.v", v)).ToArray();

    public override void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        _velocity = Enumerable.Range(0, state.Count).Select(i => state[$"p{i}.v"].Clone()).ToArray();
        StepCount = stepCount;
    }
}
