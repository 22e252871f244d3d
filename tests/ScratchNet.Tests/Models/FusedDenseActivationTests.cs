using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Models;

/// <summary>
/// A Sequential runs a Dense and the ReLU after it as one pair (the bias in the activation's pass,
/// the bias gradient in the activation gradient's pass). The result must be the bits of the layers
/// run one by one, for one and two threads, over a batch large enough for the pair to be cut into
/// column ranges on two threads.
/// </summary>
public class FusedDenseActivationTests
{
    private static Sequential Model() => new(
        new Dense(257), new ReLU(),             // fused; 520 x 257 values: split over two threads
        new Dense(33, useBias: false), new ReLU(), // no bias: not fused
        new Dense(7), new Sigmoid(),             // an activation that does not take a bias: not fused
        new Dense(10), new ReLU(), new Dense(3)); // fused, then a last Dense alone

    private static (int[][] Bits, bool[] Fused) Run(int threads, bool fusedPath, bool inputGradient)
    {
        using var scope = Compute.UseThreads(threads);
        var model = Model().Build([19], new Rng(7));
        var rng = new Rng(8);
        var x = new Tensor(520, 19);
        var dy = new Tensor(520, 3);
        foreach (ref float v in x.Span) v = rng.NextUniform(-2f, 2f);
        foreach (ref float v in dy.Span) v = rng.NextUniform(-1f, 1f);
        // A first step, so that the second one starts from buffers that hold the first step's values.
        for (int step = 0; step < 2; step++)
        {
            var (y, dx) = FusedOrSeparate.Step(model, x, dy, fusedPath, inputGradient);
            if (step == 1)
            {
                var tensors = new[] { y, dx }.Concat(model.Parameters.Select(p => p.Gradient));
                var fused = model.Layers.Select((l, i) => l is Dense d && i + 1 < model.Layers.Count && d.CanFuse(model.Layers[i + 1])).ToArray();
                return (tensors.Select(t => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray()).ToArray(), fused);
            }
            foreach (var p in model.Parameters) p.Value.Span[0] += 0.01f; // a different second step
        }
        throw new InvalidOperationException("unreachable");
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    public void ThePairGivesTheBitsOfTheLayersOneByOne(int threads, bool inputGradient)
    {
        var separate = Run(1, fusedPath: false, inputGradient);
        var fused = Run(threads, fusedPath: true, inputGradient);
        Assert.Equal([true, false, false, false, false, false, true, false, false], fused.Fused);
        Assert.Equal(separate.Bits.Length, fused.Bits.Length);
        for (int i = 0; i < separate.Bits.Length; i++) Assert.Equal(separate.Bits[i], fused.Bits[i]);
    }

    [Fact]
    public void AnActivationThatTakesNoBiasRefusesTheFusedPass()
    {
        var sigmoid = new Sigmoid();
        sigmoid.Build([4], new Rng(1));
        Assert.False(sigmoid.TakesBias);
        Assert.Throws<NotSupportedException>(() => sigmoid.ForwardAddingBias(new Tensor(2, 4), new Tensor(4)));
    }
}
