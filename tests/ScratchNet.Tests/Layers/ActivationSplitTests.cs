using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// Activations over more than 2^17 elements (a convolution's output) are cut into ranges run on
/// several threads: the result must be the same bits as one pass on one thread.
/// </summary>
public class ActivationSplitTests
{
    public static TheoryData<string> Names => new() { "ReLU", "LeakyReLU", "ELU", "GELU", "Sigmoid", "Tanh", "Step", "Identity", "Softmax" };

    private static Activation Create(string name) => name switch
    {
        "ReLU" => new ReLU(), "LeakyReLU" => new LeakyReLU(), "ELU" => new ELU(), "GELU" => new GELU(),
        "Sigmoid" => new Sigmoid(), "Tanh" => new Tanh(), "Step" => new Step(), "Identity" => new Identity(),
        _ => new Softmax(),
    };

    private static (int[] Y, int[] Dx) Run(string name, int threads)
    {
        using (Compute.UseThreads(threads))
        {
            var rng = new Rng(5);
            const int rows = 3, cols = 100_003; // 300,009 elements: odd, so the ranges end mid-vector
            var x = new Tensor(rows, cols);
            var dy = new Tensor(rows, cols);
            for (int i = 0; i < x.Length; i++) { x.Span[i] = 4f * (float)rng.NextDouble() - 2f; dy.Span[i] = (float)rng.NextDouble() - 0.5f; }
            var layer = Create(name);
            layer.Build([cols], new Rng(1));
            var y = layer.Forward(x, training: true);
            var yBits = y.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            var dx = layer.Backward(dy);
            return (yBits, dx.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SplitOverThreadsGivesTheSameBits(string name)
    {
        var one = Run(name, 1);
        var two = Run(name, 2);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
    }
}
