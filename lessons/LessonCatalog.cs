namespace ScratchNet.Lessons;

/// <summary>The learning path, in order.</summary>
public static class LessonCatalog
{
    /// <summary>Every lesson, numbered from 1.</summary>
    public static IReadOnlyList<LessonInfo> All { get; } =
    [
        new(1, "A single neuron", "Weighted sum, bias and activation: z = w·x + b, a = f(z); one neuron as an AND gate.",
            ["lesson01-activations.svg"], "Lesson01SingleNeuron.cs", ctx => Lesson01SingleNeuron.Run(ctx)),
        new(2, "The perceptron learning rule", "w += η (t − y) x learns AND and OR; XOR is not linearly separable, so it never converges.",
            ["lesson02-perceptron.svg"], "Lesson02Perceptron.cs", ctx => Lesson02Perceptron.Run(ctx)),
        new(3, "Linear regression by gradient descent", "Standardise, descend the MSE with named variables and as one matrix with a bias row; both reach Sales = 7.0326 + 0.047537 TV.",
            ["lesson03-fit.svg"], "Lesson03LinearRegression.cs", ctx => Lesson03LinearRegression.Run(ctx)),
        new(4, "Loss functions", "MSE punishes large errors quadratically; cross-entropy punishes confident wrong answers and keeps the gradient alive.",
            ["lesson04-losses.svg"], "Lesson04LossFunctions.cs", ctx => Lesson04LossFunctions.Run(ctx)),
        new(5, "Backpropagation for one neuron", "The chain rule one factor at a time, checked against a central-difference numerical gradient.",
            ["lesson05-descent.svg"], "Lesson05Backpropagation.cs", ctx => Lesson05Backpropagation.Run(ctx)),
        new(6, "A layer as a matrix product", "Many neurons over a whole batch are one product Y = X W + b.",
            ["lesson06-matmul.svg"], "Lesson06LayerAsMatrix.cs", ctx => Lesson06LayerAsMatrix.Run(ctx)),
        new(7, "XOR with a hidden layer", "Two hidden units draw two lines; the output combines them into a region no single line can make.",
            ["lesson07-xor.svg"], "Lesson07XorHiddenLayer.cs", ctx => Lesson07XorHiddenLayer.Run(ctx)),
        new(8, "An MLP on MNIST, backpropagation by hand", "784-100-10 with ReLU, softmax cross-entropy and momentum SGD, every gradient written out: 96.6% after 2 epochs, well within a minute.",
            ["lesson08-mnist.svg", "lesson08-hidden-units.svg", "lesson08-predictions.svg"], "Lesson08MnistMlp.cs", ctx => Lesson08MnistMlp.Run(ctx)),
        new(9, "Optimizers side by side", "SGD, Momentum, RMSprop and Adam on the same network and data, one loss chart.",
            ["lesson09-optimizers.svg"], "Lesson09Optimizers.cs", ctx => Lesson09Optimizers.Run(ctx)),
        new(10, "Regularisation", "A big network memorises a small noisy training set; L2, dropout and early stopping each cut the test loss.",
            ["lesson10-regularisation.svg"], "Lesson10Regularisation.cs", ctx => Lesson10Regularisation.Run(ctx)),
        new(11, "Initialisation and batch normalisation", "Activations vanish or explode through deep layers unless the weight scale is right (He/Xavier) or each layer is normalised.",
            ["lesson11-activations.svg"], "Lesson11InitialisationBatchNorm.cs", ctx => Lesson11InitialisationBatchNorm.Run(ctx)),
        new(12, "A convolution by hand", "One 3x3 filter slid over a digit, and its gradients with respect to the filter and the image, checked numerically.",
            ["lesson12-convolution.svg"], "Lesson12Convolution.cs", ctx => Lesson12Convolution.Run(ctx)),
        new(13, "A bigram language model, counted and learnt", "Which letter follows which, counted from 32,033 names; the same table learnt by a one-layer network converges to the counts' loss.",
            ["lesson13-bigram.svg"], "Lesson13Bigram.cs", ctx => Lesson13Bigram.Run(ctx)),
        new(14, "A recurrent network, backpropagation through time", "A hidden state carried from letter to letter; its gradient is the chain rule run backwards over the steps, checked numerically.",
            ["lesson14-rnn.svg"], "Lesson14RecurrentNetwork.cs", ctx => Lesson14RecurrentNetwork.Run(ctx)),
        new(15, "Self-attention by hand", "Each position averages the ones before it with weights from query-key scores; the causal mask, the √D scale, several heads.",
            ["lesson15-attention.svg"], "Lesson15SelfAttention.cs", ctx => Lesson15SelfAttention.Run(ctx)),
        new(16, "A transformer block", "x + Attn(LN(x)), then x + MLP(LN(x)): layer norm per position, a block that starts near the identity, and the residual path that carries the gradient through a deep stack.",
            ["lesson16-residual.svg"], "Lesson16TransformerBlock.cs", ctx => Lesson16TransformerBlock.Run(ctx)),
        new(17, "A GPU kernel by hand", "One thread per element, its index and the bounds check; a naive matrix product; a tiled one that reads each value from global memory once per tile: on the CPU accelerator and on CUDA where there is one.",
            ["lesson17-tiles.svg"], "Lesson17GpuKernels.cs", ctx => Lesson17GpuKernels.Run(ctx)),
        new(18, "From an autoencoder to a variational autoencoder", "Squeeze a digit through a 2-value code and rebuild it; sample the code as z = μ + σε so gradients flow through the draw, and pay KL(N(μ, σ²) ‖ N(0, 1)) so that a random code decodes to a digit.",
            ["lesson18-codes.svg"], "Lesson18Autoencoders.cs", ctx => Lesson18Autoencoders.Run(ctx)),
    ];

    /// <summary>The lesson numbered <paramref name="number"/>.</summary>
    public static LessonInfo Get(int number) =>
        number >= 1 && number <= All.Count ? All[number - 1]
            : throw new ArgumentOutOfRangeException(nameof(number), $"There is no lesson {number}: lessons are numbered 1 to {All.Count}.");

    /// <summary>Runs lesson <paramref name="number"/> and returns its result record.</summary>
    public static object Run(int number, LessonContext ctx) => Get(number).Runner(ctx);
}
