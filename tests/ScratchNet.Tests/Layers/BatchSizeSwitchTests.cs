using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// Layers keep their buffers when the batch size goes down and up again (training 64, evaluation
/// 500): the results must be those of a fresh model, and switching back must not allocate.
/// </summary>
public class BatchSizeSwitchTests
{
    private static Sequential Mlp()
    {
        var model = new Sequential(new Dense(9, new HeUniform()), new ReLU(), new Dense(3), new Sigmoid());
        model.Build([5], new Rng(3));
        return model;
    }

    private static Tensor Input(int rows, ulong seed)
    {
        var x = new Tensor(rows, 5);
        var rng = new Rng(seed);
        for (int i = 0; i < x.Length; i++) x.Span[i] = (float)rng.NextGaussian();
        return x;
    }

    [Fact]
    public void Smaller_then_larger_batches_give_the_same_outputs_and_gradients_as_a_fresh_model()
    {
        var reused = Mlp();
        foreach (int rows in new[] { 33, 7, 1, 33, 257, 7 })
        {
            var fresh = Mlp();
            var x = Input(rows, (ulong)rows);
            var a = reused.Forward(x, training: true).Span.ToArray();
            var b = fresh.Forward(x, training: true).Span.ToArray();
            Assert.Equal(b, a);
            var g = new Tensor(rows, 3);
            for (int i = 0; i < g.Length; i++) g.Span[i] = 0.1f * (i % 7) - 0.3f;
            Assert.Equal(fresh.Backward(g).Span.ToArray(), reused.Backward(g).Span.ToArray());
            for (int p = 0; p < fresh.Parameters.Count; p++)
                Assert.Equal(fresh.Parameters[p].Gradient.Span.ToArray(), reused.Parameters[p].Gradient.Span.ToArray());
        }
    }

    [Fact]
    public void Switching_between_two_batch_sizes_allocates_only_small_views()
    {
        var model = Mlp();
        Tensor small = Input(64, 1), large = Input(500, 2);
        model.Forward(large, training: false);
        model.Forward(small, training: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            model.Forward(large, training: false);
            model.Forward(small, training: true);
        }
        // Going back to the smaller batch makes a view object per buffer (about 100 bytes), never new storage.
        long perRound = (GC.GetAllocatedBytesForCurrentThread() - before) / 5;
        Assert.True(perRound < 1024, $"a round of batch-size switches allocated {perRound} bytes");
    }
}
