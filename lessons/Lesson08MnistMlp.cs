using System.Diagnostics;
using System.IO.Compression;
using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 8. A 784-100-10 network learns handwritten digits. Everything is written out: reading the
/// IDX files, the forward pass, softmax cross-entropy, backpropagation and momentum SGD.
/// </summary>
public static class Lesson08MnistMlp
{
    /// <summary>Test accuracy and loss, the training loss every 100 batches, the seconds it took.</summary>
    public sealed record Result(double TestAccuracy, double TestLoss, double[] TrainLosses, double Seconds, int Epochs);

    /// <summary>The network's numbers, all in flat row-major float arrays.</summary>
    public sealed class Mlp
    {
        public readonly int Inputs, Hidden, Outputs;
        public readonly float[] W1, b1, W2, b2;        // W1 is Inputs × Hidden, W2 is Hidden × Outputs
        public readonly float[] dW1, db1, dW2, db2;    // gradients of the mean batch loss
        public readonly float[] vW1, vb1, vW2, vb2;    // momentum "velocities"

        /// <summary>He initialisation: W ~ N(0, 2 / fan_in) keeps ReLU activations at a steady scale (lesson 11); biases 0.</summary>
        public Mlp(int inputs, int hidden, int outputs, Rng rng)
        {
            (Inputs, Hidden, Outputs) = (inputs, hidden, outputs);
            W1 = new float[inputs * hidden]; b1 = new float[hidden]; W2 = new float[hidden * outputs]; b2 = new float[outputs];
            dW1 = new float[W1.Length]; db1 = new float[hidden]; dW2 = new float[W2.Length]; db2 = new float[outputs];
            vW1 = new float[W1.Length]; vb1 = new float[hidden]; vW2 = new float[W2.Length]; vb2 = new float[outputs];
            for (int k = 0; k < W1.Length; k++) W1[k] = (float)(rng.NextGaussian() * Math.Sqrt(2.0 / inputs));
            for (int k = 0; k < W2.Length; k++) W2[k] = (float)(rng.NextGaussian() * Math.Sqrt(2.0 / hidden));
        }
    }

    public const int Hidden = 100, Epochs = 2, BatchSize = 32;
    public const float LearningRate = 0.05f, Momentum = 0.9f;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var watch = Stopwatch.StartNew();
        var (trainImages, train, pixels) = ReadImages(ctx.DataFile("mnist", "train-images-idx3-ubyte"));
        var trainLabels = ReadLabels(ctx.DataFile("mnist", "train-labels-idx1-ubyte"), train);
        var (testImages, test, _) = ReadImages(ctx.DataFile("mnist", "t10k-images-idx3-ubyte"));
        var testLabels = ReadLabels(ctx.DataFile("mnist", "t10k-labels-idx1-ubyte"), test);
        o.WriteLine($"read {train} training and {test} test images of {pixels} pixels in {watch.Elapsed.TotalSeconds:F1} s");

        var rng = new Rng(8);
        var net = new Mlp(pixels, Hidden, 10, rng);
        var trainLosses = new List<double>();
        double runningLoss = 0;
        int batches = 0;
        double testAccuracy = 0, testLoss = 0;
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            int[] order = rng.Permutation(train);                 // a new order every epoch
            for (int start = 0; start + BatchSize <= train; start += BatchSize)
            {
                runningLoss += TrainStep(net, trainImages, trainLabels, order.AsSpan(start, BatchSize), LearningRate, Momentum);
                if (++batches % 100 == 0)
                {
                    // A learning rate too large makes the loss blow up to NaN: stop and say so.
                    if (!double.IsFinite(runningLoss)) throw new InvalidOperationException($"Training diverged at batch {batches} (loss {runningLoss}): lower the learning rate.");
                    trainLosses.Add(runningLoss / 100);
                    runningLoss = 0;
                }
            }
            (testAccuracy, testLoss) = Evaluate(net, testImages, testLabels, test);
            o.WriteLine($"epoch {epoch}: training loss {trainLosses[^1]:F4}, test loss {testLoss:F4}, test accuracy {testAccuracy:P2}  ({watch.Elapsed.TotalSeconds:F1} s)");
        }
        double seconds = watch.Elapsed.TotalSeconds;
        o.WriteLine($"final: {testAccuracy:P2} of the {test:N0} test digits right, in {seconds:F1} s");

        if (ctx.DrawPictures) Draw(ctx, net, trainLosses, testImages, testLabels);
        return new Result(testAccuracy, testLoss, [.. trainLosses], seconds, Epochs);
    }

    /// <summary>
    /// One step of momentum SGD on the batch <paramref name="batch"/> (indices into the data):
    /// forward, backward, then v ← μ v + g, θ ← θ − η v. Returns the batch's mean loss.
    /// </summary>
    public static float TrainStep(Mlp net, float[] images, byte[] labels, ReadOnlySpan<int> batch, float learningRate, float momentum)
    {
        int B = batch.Length, I = net.Inputs, H = net.Hidden, K = net.Outputs;
        Array.Clear(net.dW1); Array.Clear(net.db1); Array.Clear(net.dW2); Array.Clear(net.db2);
        var h = new float[H];
        var p = new float[K];
        var dh = new float[H];
        float loss = 0;
        for (int n = 0; n < B; n++)
        {
            var x = images.AsSpan(batch[n] * I, I);
            int label = labels[batch[n]];

            // Forward: h = relu(x W1 + b1), p = softmax(h W2 + b2), loss = −ln p_label.
            ForwardHidden(net, x, h);
            ForwardOutput(net, h, p);
            loss += -MathF.Log(Math.Max(p[label], 1e-30f)) / B;

            // Backward. Softmax with cross-entropy: dL/dz2_k = (p_k − [k = label]) / B (lesson 4).
            for (int k = 0; k < K; k++) p[k] = (p[k] - (k == label ? 1 : 0)) / B;   // p now holds dL/dz2
            for (int k = 0; k < K; k++) net.db2[k] += p[k];
            // z2 = h W2 + b2:  dL/dW2_jk = h_j dL/dz2_k,   dL/dh_j = Σ_k W2_jk dL/dz2_k.
            for (int j = 0; j < H; j++)
            {
                float hj = h[j], sum = 0;
                var w2Row = net.W2.AsSpan(j * K, K);
                var dw2Row = net.dW2.AsSpan(j * K, K);
                for (int k = 0; k < K; k++) { dw2Row[k] += hj * p[k]; sum += w2Row[k] * p[k]; }
                // h = relu(z1): the gradient passes where z1 > 0 (where h > 0) and stops elsewhere.
                dh[j] = hj > 0 ? sum : 0;                                            // dh now holds dL/dz1
                net.db1[j] += dh[j];
            }
            // z1 = x W1 + b1:  dL/dW1_ij = x_i dL/dz1_j. Blank pixels (x_i = 0) add nothing: skip them.
            for (int i = 0; i < I; i++)
            {
                float xi = x[i];
                if (xi == 0) continue;
                var dw1Row = net.dW1.AsSpan(i * H, H);
                for (int j = 0; j < H; j++) dw1Row[j] += xi * dh[j];
            }
        }
        Update(net.W1, net.dW1, net.vW1, learningRate, momentum);
        Update(net.b1, net.db1, net.vb1, learningRate, momentum);
        Update(net.W2, net.dW2, net.vW2, learningRate, momentum);
        Update(net.b2, net.db2, net.vb2, learningRate, momentum);
        return loss;
    }

    /// <summary>h_j = relu(b1_j + Σ_i x_i W1_ij), summed row by row of W1 and skipping blank pixels (most of an MNIST image).</summary>
    public static void ForwardHidden(Mlp net, ReadOnlySpan<float> x, float[] h)
    {
        int H = net.Hidden;
        net.b1.CopyTo(h, 0);
        for (int i = 0; i < x.Length; i++)
        {
            float xi = x[i];
            if (xi == 0) continue;
            var w1Row = net.W1.AsSpan(i * H, H);
            for (int j = 0; j < H; j++) h[j] += xi * w1Row[j];
        }
        for (int j = 0; j < H; j++) h[j] = Math.Max(0, h[j]);
    }

    /// <summary>p = softmax(h W2 + b2), subtracting the largest score first so that exp cannot overflow.</summary>
    public static void ForwardOutput(Mlp net, float[] h, float[] p)
    {
        int K = net.Outputs;
        net.b2.CopyTo(p, 0);
        for (int j = 0; j < h.Length; j++)
        {
            float hj = h[j];
            if (hj == 0) continue;
            var w2Row = net.W2.AsSpan(j * K, K);
            for (int k = 0; k < K; k++) p[k] += hj * w2Row[k];
        }
        float max = p.Max(), sum = 0;
        for (int k = 0; k < K; k++) { p[k] = MathF.Exp(p[k] - max); sum += p[k]; }
        for (int k = 0; k < K; k++) p[k] /= sum;
    }

    /// <summary>Momentum SGD: v ← μ v + g, θ ← θ − η v. With μ = 0 this is plain SGD, θ ← θ − η g.</summary>
    public static void Update(float[] theta, float[] gradient, float[] velocity, float learningRate, float momentum)
    {
        for (int k = 0; k < theta.Length; k++)
        {
            velocity[k] = momentum * velocity[k] + gradient[k];
            theta[k] -= learningRate * velocity[k];
        }
    }

    /// <summary>Accuracy and mean cross-entropy over the first <paramref name="count"/> images.</summary>
    public static (double Accuracy, double Loss) Evaluate(Mlp net, float[] images, byte[] labels, int count)
    {
        var h = new float[net.Hidden];
        var p = new float[net.Outputs];
        int correct = 0;
        double loss = 0;
        for (int n = 0; n < count; n++)
        {
            ForwardHidden(net, images.AsSpan(n * net.Inputs, net.Inputs), h);
            ForwardOutput(net, h, p);
            if (Array.IndexOf(p, p.Max()) == labels[n]) correct++;
            loss -= Math.Log(Math.Max(p[labels[n]], 1e-30f));
        }
        return ((double)correct / count, loss / count);
    }

    /// <summary>
    /// An IDX image file, gzip-compressed: big-endian int32 magic 2051, count, rows, columns, then one
    /// byte per pixel (0 = background, 255 = ink), scaled here to [0, 1].
    /// </summary>
    public static (float[] Pixels, int Count, int PixelsPerImage) ReadImages(string path)
    {
        using var reader = new BinaryReader(Open(path));
        int magic = ReadBigEndian(reader), count = ReadBigEndian(reader), rows = ReadBigEndian(reader), cols = ReadBigEndian(reader);
        if (magic != 2051) throw new InvalidDataException($"{path}: not an IDX image file (magic number {magic}, expected 2051).");
        byte[] bytes = reader.ReadBytes(count * rows * cols);
        if (bytes.Length != count * rows * cols) throw new InvalidDataException($"{path}: truncated, {bytes.Length} of {count * rows * cols} pixel bytes.");
        var pixels = new float[bytes.Length];
        for (int k = 0; k < bytes.Length; k++) pixels[k] = bytes[k] / 255f;
        return (pixels, count, rows * cols);
    }

    /// <summary>An IDX label file, gzip-compressed: magic 2049, count, then one byte (0-9) per image.</summary>
    public static byte[] ReadLabels(string path, int expectedCount)
    {
        using var reader = new BinaryReader(Open(path));
        int magic = ReadBigEndian(reader), count = ReadBigEndian(reader);
        if (magic != 2049) throw new InvalidDataException($"{path}: not an IDX label file (magic number {magic}, expected 2049).");
        if (count != expectedCount) throw new InvalidDataException($"{path}: {count} labels for {expectedCount} images.");
        byte[] labels = reader.ReadBytes(count);
        if (labels.Length != count) throw new InvalidDataException($"{path}: truncated, {labels.Length} of {count} labels.");
        return labels;
    }

    /// <summary>The file's bytes, decompressed when its name ends in ".gz".</summary>
    private static Stream Open(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(File.OpenRead(path), CompressionMode.Decompress) : File.OpenRead(path);

    private static int ReadBigEndian(BinaryReader reader) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(reader.ReadBytes(4));

    private static void Draw(LessonContext ctx, Mlp net, List<double> trainLosses, float[] testImages, byte[] testLabels)
    {
        Pictures.Draw(ctx.PicturePath("lesson08-mnist.svg"),
            new Chart("784-100-10 MLP on MNIST: training loss", "batches (x100)", "mean cross-entropy",
                [new Series("training loss", Enumerable.Range(1, trainLosses.Count).Select(i => (double)i).ToArray(), [.. trainLosses])], LogY: true));
        // What the hidden units look for: each one's 784 incoming weights as a 28 × 28 picture
        // (red: ink here raises the unit, blue: ink here lowers it).
        Pictures.WeightTiles(ctx.PicturePath("lesson08-hidden-units.svg"), "784 -> 100: the first 32 hidden units' weights",
            net.W1, net.Hidden, 28, 28, count: 32);
        // The first 40 test digits with the network's answers.
        const int shown = 40;
        var h = new float[net.Hidden];
        var p = new float[net.Outputs];
        var predicted = new int[shown];
        for (int n = 0; n < shown; n++)
        {
            ForwardHidden(net, testImages.AsSpan(n * net.Inputs, net.Inputs), h);
            ForwardOutput(net, h, p);
            predicted[n] = Array.IndexOf(p, p.Max());
        }
        Pictures.LabelledImages(ctx.PicturePath("lesson08-predictions.svg"), "The first 40 test digits and the network's answers",
            testImages, shown, 28, 28, predicted, [.. testLabels.AsSpan(0, shown).ToArray().Select(l => (int)l)]);
    }
}
