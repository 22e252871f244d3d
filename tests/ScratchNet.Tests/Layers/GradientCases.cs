using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// One gradient-check case per layer: how to make it (built), an input, its double reference and the
/// mode. Used both to show each layer passes and to show each check fails when the layer is wrong.
/// </summary>
internal static class GradientCases
{
    public sealed record Case(Func<Layer> Create, Tensor Input, Func<Layer, DoubleGradient.LayerReference> Reference, bool Training = true);

    public static readonly string[] Names =
    [
        "Dense", "DenseNoBias", "Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "GELU", "Step", "Softmax",
        "BatchNormTraining", "BatchNormInference", "Dropout", "Flatten",
        "SiLU", "Softplus", "DenseSequence", "DropoutSequence", "LayerNorm", "Embedding", "PositionalEmbedding", "CausalWindow",
        "CausalSelfAttention", "TransformerBlock", "MinibatchStdDev",
    ];

    private static T Built<T>(T layer, params int[] inputShape) where T : Layer
    {
        layer.Build(inputShape, new Rng(5));
        return layer;
    }

    private static Case Elementwise(Func<Layer> create, Func<double, double> f) =>
        // Away from 0 so that no central difference straddles the kink of ReLU, LeakyReLU, ELU and Step.
        // 35 elements: exercises the vector body and the scalar remainder.
        new(() => Built(create(), 7), DoubleGradient.RandomAwayFromZero(3, 1.5f, 0.05f, 5, 7), _ => (x, _) => Reference.Map(x, f));

    public static Case Get(string name) => name switch
    {
        "Dense" => new(() =>
            {
                var d = Built(new Dense(3, new XavierNormal()), 4);
                DoubleGradient.Random(2, 0.5f, 3).CopyTo(d.Bias!.Value);
                return d;
            }, DoubleGradient.Random(1, 1f, 5, 4), _ => (x, p) => Reference.Dense(x, p[0], p[1], 5, 4, 3)),
        "DenseNoBias" => new(() => Built(new Dense(3, new XavierNormal(), useBias: false), 4), DoubleGradient.Random(1, 1f, 5, 4),
            _ => (x, p) => Reference.Dense(x, p[0], null, 5, 4, 3)),
        "Identity" => Elementwise(() => new Identity(), v => v),
        "Sigmoid" => Elementwise(() => new Sigmoid(), Reference.Sigmoid),
        "Tanh" => Elementwise(() => new Tanh(), Math.Tanh),
        "ReLU" => Elementwise(() => new ReLU(), v => Math.Max(v, 0)),
        "LeakyReLU" => Elementwise(() => new LeakyReLU(0.1f), v => v > 0 ? v : 0.1 * v),
        "ELU" => Elementwise(() => new ELU(0.7f), v => v > 0 ? v : 0.7 * (Math.Exp(v) - 1)),
        "GELU" => Elementwise(() => new GELU(), Reference.Gelu),
        "Step" => Elementwise(() => new Step(), v => v > 0 ? 1 : 0),
        "Softmax" => new(() => Built(new Softmax(), 6), DoubleGradient.Random(4, 2f, 3, 6), _ => (x, _) => Reference.SoftmaxRows(x, 3, 6)),
        "BatchNormTraining" => new(() =>
            {
                var bn = Built(new BatchNorm(epsilon: 1e-3f), 4);
                DoubleGradient.Random(6, 0.5f, 4).CopyTo(bn.Beta.Value);
                var g = DoubleGradient.Random(7, 0.5f, 4);
                for (int j = 0; j < 4; j++) bn.Gamma.Value[j] = 1f + g[j];
                return bn;
            }, ShiftedColumns(DoubleGradient.Random(8, 2f, 6, 4)), _ => (x, p) => Reference.BatchNormTrain(x, p[0], p[1], 6, 4, 1e-3)),
        "BatchNormInference" => new(() =>
            {
                var bn = Built(new BatchNorm(momentum: 0.5f), 3);
                for (int s = 0; s < 3; s++) bn.Forward(DoubleGradient.Random(20 + (ulong)s, 3f, 8, 3), training: true);
                return bn;
            }, DoubleGradient.Random(9, 2f, 4, 3), layer =>
            {
                var bn = Unwrap<BatchNorm>(layer);
                var mean = DoubleGradient.ToDouble(bn.RunningMean);
                var variance = DoubleGradient.ToDouble(bn.RunningVariance);
                return (x, p) => Reference.BatchNormInference(x, p[0], p[1], mean, variance, 4, 3, 1e-5);
            }, Training: false),
        // The reference reads the mask of the forward pass the check just ran: a fixed mask.
        "Dropout" => new(() => Built(new Dropout(0.4f), 10), DoubleGradient.Random(10, 1f, 4, 10),
            layer => (x, _) => { var m = Unwrap<Dropout>(layer).Mask!; return x.Select((v, i) => v * m[i]).ToArray(); }),
        "Flatten" => new(() => Built(new Flatten(), 2, 3), DoubleGradient.Random(12, 1f, 4, 2, 3), _ => (x, _) => (double[])x.Clone()),
        "SiLU" => Elementwise(() => new SiLU(), v => v * Reference.Sigmoid(v)),
        "Softplus" => Elementwise(() => new Softplus(), v => Math.Log(1 + Math.Exp(v))),
        // (batch 2, T 3, C 4) → (2, 3, 5): six rows through one product.
        "DenseSequence" => new(() =>
            {
                var d = Built(new Dense(5, new XavierNormal()), 3, 4);
                DoubleGradient.Random(2, 0.5f, 5).CopyTo(d.Bias!.Value);
                return d;
            }, DoubleGradient.Random(1, 1f, 2, 3, 4), _ => (x, p) => Reference.Dense(x, p[0], p[1], 6, 4, 5)),
        "DropoutSequence" => new(() => Built(new Dropout(0.4f), 3, 5), DoubleGradient.Random(10, 1f, 2, 3, 5),
            layer => (x, _) => { var m = Unwrap<Dropout>(layer).Mask!; return x.Select((v, i) => v * m[i]).ToArray(); }),
        // C = 7: the vector body and its remainder; gain and bias away from 1 and 0.
        "LayerNorm" => new(() =>
            {
                var ln = Built(new LayerNorm(1e-3f), 3, 7);
                DoubleGradient.Random(6, 0.5f, 7).CopyTo(ln.Beta.Value);
                var g = DoubleGradient.Random(7, 0.5f, 7);
                for (int j = 0; j < 7; j++) ln.Gamma.Value[j] = 1f + g[j];
                return ln;
            }, DoubleGradient.Random(8, 2f, 2, 3, 7), _ => (x, p) => SequenceReference.LayerNorm(x, p[0], p[1], 7, 1e-3)),
        // Ids repeat (3 twice in a row, 0 in both samples) so that the weight gradient must add them up.
        "Embedding" => new(() => Built(new Embedding(5, 6, initStd: 1f), 4),
            Tensor.FromArray([3, 3, 0, 4, 1, 0, 2, 3], 2, 4), _ => (x, p) => SequenceReference.Embedding(x, p[0], 6)),
        // T 3 of a context of 5: the unused rows must get a zero gradient.
        "PositionalEmbedding" => new(() => Built(new PositionalEmbedding(5, initStd: 1f), 3, 4), DoubleGradient.Random(13, 1f, 2, 3, 4),
            _ => (x, p) => SequenceReference.Positional(x, p[0], 3, 4)),
        // (batch 2, T 5, C 3), a window of 3: the first two positions are padded, the last two feed fewer outputs.
        "CausalWindow" => new(() => Built(new CausalWindow(3), 5, 3), DoubleGradient.Random(18, 1f, 2, 5, 3),
            _ => (x, _) => SequenceReference.CausalWindow(x, 2, 5, 3, 3)),
        // (batch 2, T 5, C 6), 2 heads of 3; biases made non-zero.
        "CausalSelfAttention" => new(() =>
            {
                var a = Built(new CausalSelfAttention(2), 5, 6);
                DoubleGradient.Random(14, 0.5f, 18).CopyTo(a.QkvProjection.Bias!.Value);
                DoubleGradient.Random(15, 0.5f, 6).CopyTo(a.OutputProjection.Bias!.Value);
                return a;
            }, DoubleGradient.Random(16, 1f, 2, 5, 6),
            _ => (x, p) => AttentionReference.Forward(x, 2, 5, 6, p[0], p[1], p[2], p[3], 2)),
        "TransformerBlock" => new(() =>
            {
                var block = Built(new TransformerBlock(2), 4, 4);
                ulong seed = 30;
                foreach (var p in block.Parameters)
                    if (p.Name.EndsWith("bias") || p.Name.EndsWith("beta")) DoubleGradient.Random(seed++, 0.3f, p.Value.Length).CopyTo(p.Value.Reshape(p.Value.Length));
                    else if (p.Name.EndsWith("gamma")) for (int j = 0; j < p.Value.Length; j++) p.Value[j] = 1f + 0.3f * (float)new Rng(seed++).NextGaussian();
                return block;
            }, DoubleGradient.Random(17, 1f, 2, 4, 4),
            _ => (x, p) => SequenceReference.TransformerBlock(x, p, 2, 4, 4, 2)),
        // 7 rows in groups of 3: two full groups and one of a single row (σ = √ε there, so ε is 1e-2 to keep it smooth).
        "MinibatchStdDev" => new(() => Built(new MinibatchStdDev(3, 1e-2f), 5), DoubleGradient.Random(19, 1f, 7, 5),
            _ => (x, _) => Reference.MinibatchStdDev(x, 7, 5, 3, 1e-2)),
        _ => throw new ArgumentException(name),
    };

    public static DoubleGradient.Result Run(Case c, Layer layer) =>
        DoubleGradient.CheckLayer(layer, c.Input, c.Reference(layer), c.Training);

    private static T Unwrap<T>(Layer layer) where T : Layer => layer is BuggyLayer b ? (T)b.Inner : (T)layer;

    private static Tensor ShiftedColumns(Tensor x)
    {
        for (int i = 0; i < x.Length; i++) x[i] += 0.5f * (i % x.Columns);
        return x;
    }
}
