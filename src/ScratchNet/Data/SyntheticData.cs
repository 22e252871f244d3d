using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Two-dimensional classification sets generated from a seed, for lessons and quick tests: xor,
/// circles, moons, spirals, gaussians; and xor-table, the four points of the XOR truth table (fixed,
/// both training and test set). Points are (x, y) features; labels are class indices.
/// </summary>
public static class SyntheticData
{
    /// <summary>Training samples when no count is given.</summary>
    public const int DefaultCount = 1000;

    /// <summary>The default noise of each set (standard deviation of the Gaussian jitter).</summary>
    public static float DefaultNoise(string name) => name switch
    {
        "xor" => 0.05f,
        "circles" => 0.05f,
        "moons" => 0.1f,
        "spirals" => 0.2f,
        "gaussians" => 0.5f,
        _ => throw new DataFormatException(name, $"not a synthetic dataset; known: {string.Join(", ", DatasetCatalog.SyntheticNames)}"),
    };

    /// <summary>Generates the training set then the test set from one <c>Rng(seed)</c>.</summary>
    public static LoadedData Load(DatasetInfo info, DatasetLoadOptions options)
    {
        if (info.Name == "xor-table") return XorTable(info, options);
        int count = options.Count ?? DefaultCount;
        int testCount = options.TestCount ?? Math.Max(1, count / 4);
        if (count <= 0 || testCount < 0) throw new DataFormatException(info.Name, $"sample counts must be positive (got {count} training, {testCount} test)");
        if (count > Limits.MaxGeneratedSamples || testCount > Limits.MaxGeneratedSamples)
            throw new DataFormatException(info.Name, $"sample counts must be at most {Limits.MaxGeneratedSamples:N0} per split (got {count:N0} training, {testCount:N0} test)");
        float noise = options.Noise ?? DefaultNoise(info.Name);
        if (!(noise >= 0) || !float.IsFinite(noise)) throw new DataFormatException(info.Name, $"noise must be a finite number >= 0 (got {noise})");
        int classes = options.Classes ?? (info.Name is "spirals" or "gaussians" ? 3 : 2);
        if (info.Name is not ("spirals" or "gaussians") && classes != 2)
            throw new DataFormatException(info.Name, $"has 2 classes ({classes} requested); only spirals and gaussians take --classes");
        if (classes < 2 || classes > 100) throw new DataFormatException(info.Name, $"classes must be between 2 and 100 (got {classes})");

        var rng = new Rng(options.Seed);
        var (trainX, trainY) = Generate(info.Name, count, noise, classes, rng);
        var (testX, testY) = Generate(info.Name, testCount, noise, classes, rng);
        Standardizer? standardizer = null;
        if (options.Standardize != StandardizeMode.None)
        {
            standardizer = Standardizer.Fit(trainX, options.Standardize);
            standardizer.Transform(trainX);
            if (testX.Length > 0) standardizer.Transform(testX);
        }
        var names = Enumerable.Range(0, classes).Select(k => k.ToString()).ToArray();
        return new LoadedData(
            new InMemoryDataset($"{info.Name}/train", trainX, trainY, classes, names),
            new InMemoryDataset($"{info.Name}/test", testX, testY, classes, names),
            info with { ClassNames = names })
        { Standardizer = standardizer, FeatureNames = ["x", "y"] };
    }

    /// <summary>(0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0 as both splits (the same tensors: nothing is held out).</summary>
    private static LoadedData XorTable(DatasetInfo info, DatasetLoadOptions options)
    {
        if (options.Count is not null || options.TestCount is not null || options.Noise is not null || options.Classes is not null)
            throw new DataFormatException(info.Name, "is the four points of the XOR truth table: a sample count, noise or class count cannot be given");
        var x = Tensor.FromRows(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        var y = Tensor.FromArray([0, 1, 1, 0], 4);
        var set = new InMemoryDataset(info.Name, x, y, 2, info.ClassNames);
        return new LoadedData(set, set, info) { FeatureNames = ["x1", "x2"] };
    }

    /// <summary>
    /// <paramref name="count"/> points of set <paramref name="name"/>: features (count, 2) and labels
    /// (count), sample i in class i mod classes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above <see cref="Limits.MaxGeneratedSamples"/>.</exception>
    public static (Tensor Features, Tensor Labels) Generate(string name, int count, float noise, int classes, Rng rng)
    {
        if (count < 0 || count > Limits.MaxGeneratedSamples)
            throw new ArgumentOutOfRangeException(nameof(count), $"{name}: the sample count must be between 0 and {Limits.MaxGeneratedSamples:N0} (got {count:N0}).");
        var x = new Tensor(count, 2);
        var y = new Tensor(count);
        var p = x.Span;
        for (int i = 0; i < count; i++)
        {
            int k = i % classes;
            double px, py;
            switch (name)
            {
                case "xor":
                    px = rng.NextDouble() * 2 - 1;
                    py = rng.NextDouble() * 2 - 1;
                    k = px * py >= 0 ? 0 : 1; // the label comes from the clean point; noise then blurs the boundary
                    break;
                case "circles":
                {
                    double t = 2 * Math.PI * rng.NextDouble(), r = k == 0 ? 1.0 : 0.5;
                    px = r * Math.Cos(t); py = r * Math.Sin(t);
                    break;
                }
                case "moons":
                {
                    double t = Math.PI * rng.NextDouble();
                    if (k == 0) { px = Math.Cos(t); py = Math.Sin(t); }
                    else { px = 1 - Math.Cos(t); py = 0.5 - Math.Sin(t); }
                    break;
                }
                case "spirals":
                {
                    // Arm k: radius r in [0, 1], angle growing with r, arms rotated 2π/K apart (CS231n's set).
                    double r = rng.NextDouble();
                    double t = 2 * Math.PI * k / classes + 4 * r + noise * rng.NextGaussian();
                    px = r * Math.Sin(t); py = r * Math.Cos(t);
                    y[i] = k;
                    p[2 * i] = (float)px; p[2 * i + 1] = (float)py;
                    continue; // spirals put the noise in the angle
                }
                case "gaussians":
                {
                    double a = 2 * Math.PI * k / classes;
                    px = 2 * Math.Cos(a); py = 2 * Math.Sin(a);
                    break;
                }
                default:
                    throw new DataFormatException(name, $"not a synthetic dataset; known: {string.Join(", ", DatasetCatalog.SyntheticNames)}");
            }
            if (noise > 0)
            {
                px += noise * rng.NextGaussian();
                py += noise * rng.NextGaussian();
            }
            p[2 * i] = (float)px; p[2 * i + 1] = (float)py;
            y[i] = k;
        }
        return (x, y);
    }
}
