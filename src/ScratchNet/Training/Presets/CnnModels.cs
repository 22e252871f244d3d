using ScratchNet.Layers.Initializers;
using ScratchNet.Layers;
using ScratchNet.Models;

namespace ScratchNet.Training.Presets;

/// <summary>
/// The convolutional network of the <c>mnist-cnn</c> and <c>fashion-cnn</c> presets, for 1 x 28 x 28 images:
/// <code>
/// [RandomShift2D(2)]                      (optional augmentation, training only)
/// Conv2D 5x5, 1 → 32, ReLU, MaxPool 2     28 → 24 → 12
/// Conv2D 5x5, 32 → 64, ReLU, MaxPool 2    12 → 8 → 4
/// Flatten (64·4·4 = 1024), Dense 128, ReLU, Dense 10 (logits for SoftmaxCrossEntropy)
/// </code>
/// Trained with Adam (learning rate 1e-3; the presets anneal it to 0 by a cosine), batches of 64.
/// </summary>
public static class CnnModels
{
    /// <summary>Adam's learning rate for the presets.</summary>
    public const float LearningRate = 1e-3f;

    /// <summary>Mini-batch size for the presets.</summary>
    public const int BatchSize = 64;

    /// <summary>The per-sample input shape, (1, 28, 28).</summary>
    public static int[] InputShape => [1, 28, 28];

    /// <summary>
    /// The unbuilt network; <paramref name="maxShift"/> &gt; 0 prepends a <see cref="RandomShift2D"/>.
    /// <paramref name="activation"/> (a <see cref="LayerFactory.Activation"/> name) replaces the three
    /// ReLUs, and <paramref name="dropout"/> &gt; 0 adds a Dropout after each of them.
    /// </summary>
    public static Sequential SmallCnn(int classes = 10, int maxShift = 0, string activation = "relu", double dropout = 0)
    {
        var layers = new List<Layer>();
        if (maxShift > 0) layers.Add(new RandomShift2D(maxShift));
        // The first convolution reads data: no one needs dL/dx there, so skip computing it.
        layers.Add(new Conv2D(32, 5) { ComputeInputGradient = false });
        AddActivation();
        layers.Add(new MaxPool2D(2));
        layers.Add(new Conv2D(64, 5));
        AddActivation();
        layers.Add(new MaxPool2D(2));
        layers.Add(new Flatten());
        layers.Add(new Dense(128, new HeNormal()));
        AddActivation();
        layers.Add(new Dense(classes));
        return new Sequential(layers.ToArray());

        void AddActivation()
        {
            layers.Add(LayerFactory.Activation(activation));
            if (dropout > 0) layers.Add(new Dropout((float)dropout));
        }
    }
}
