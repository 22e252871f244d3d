namespace ScratchNet.Training.Presets;

public static partial class PresetCatalog
{
    /// <summary>
    /// mnist-autoencoder: 784-400-32-400-784 with ReLU, a linear 32-value code, the sigmoid binary
    /// cross-entropy of the 784 pixels summed per image, Adam η₀ = 1e-3, batch 128, 10 epochs. Its
    /// loss is the reconstruction alone, per image.
    /// </summary>
    public static Recipe MnistAutoencoder { get; } = Autoencoder("mnist-autoencoder", latent: 32, variational: false,
        "mnist: 784-400-32-400-784 ReLU autoencoder, binary cross-entropy summed per image, Adam 1e-3, batch 128, 10 epochs");

    /// <summary>
    /// mnist-vae: the classic PyTorch example. 784-400-(μ, log σ²: 2 × 20), z = μ + σ ⊙ ε, 20-400-784,
    /// ReLU, a sigmoid output; the loss is the binary cross-entropy of the pixels summed per image plus
    /// KL(q(z|x) ‖ N(0, I)), averaged over the batch; Adam η₀ = 1e-3, batch 128, 10 epochs. The test loss
    /// is taken with z = μ (<see cref="Layers.GaussianSample"/>). Goal: ≤ 105 per image.
    /// </summary>
    public static Recipe MnistVae { get; } = Autoencoder("mnist-vae", latent: 20, variational: true,
        "mnist: 784-400-20-400-784 ReLU variational autoencoder, BCE summed per image + KL, Adam 1e-3, batch 128, 10 epochs");

    /// <summary>mnist-vae-2d: mnist-vae with a 2-value code, for pictures of the latent space.</summary>
    public static Recipe MnistVae2D { get; } = Autoencoder("mnist-vae-2d", latent: 2, variational: true,
        "mnist: 784-400-2-400-784 ReLU variational autoencoder (a 2-D latent space to draw), BCE + KL, Adam 1e-3, batch 128, 10 epochs");

    private static Recipe Autoencoder(string name, int latent, bool variational, string description) => new()
    {
        Name = name,
        Description = description,
        Data = new DataRecipe { Dataset = "mnist", Reconstruct = true },
        Model = new AutoencoderRecipe { Hidden = [400], Latent = latent, Variational = variational },
        Loss = "BinaryCrossEntropyWithLogitsSum",
        Optimizer = new OptimizerRecipe { Name = "adam", LearningRate = 1e-3 },
        Epochs = 10,
        BatchSize = 128,
    };
}
