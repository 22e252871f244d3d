namespace ScratchNet.Plotting;

/// <summary>
/// An animated GIF of decision regions during training (XOR, spirals): every <see cref="Every"/>-th
/// epoch the classifier is evaluated over the plot and a frame "epoch N  loss L" is added. Epochs that
/// are skipped cost nothing: the classifier is only called for frames.
/// <code>
/// var animation = new DecisionBoundaryAnimation(new DecisionBoundaryPlot(points, classes)) { Every = 10 };
/// animation.AddEpoch(epoch, grid => model.ProbabilityOfClass1(grid), loss, last: epoch == epochs);
/// animation.Save("runs/xor/boundary.gif");
/// </code>
/// </summary>
public sealed class DecisionBoundaryAnimation
{
    /// <summary>The plot that draws each frame (size, range, labels).</summary>
    public DecisionBoundaryPlot Plot { get; }

    /// <summary>The frames collected so far; its delays can be changed before saving.</summary>
    public AnimatedGifBuilder Gif { get; } = new();

    /// <summary>Only every n-th epoch becomes a frame (and the one marked last).</summary>
    public int Every { get; set; } = 1;

    /// <summary>An animation whose frames <paramref name="plot"/> draws (its range and size fixed for every frame).</summary>
    public DecisionBoundaryAnimation(DecisionBoundaryPlot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        Plot = plot;
    }

    /// <summary>True when <see cref="AddEpoch"/> would add a frame for this epoch.</summary>
    public bool Captures(int epoch, bool last = false)
    {
        if (Every < 1) throw new InvalidOperationException($"Every must be at least 1, got {Every}.");
        return last || epoch % Every == 0;
    }

    /// <summary>Adds a frame from class probabilities of class 1 (binary problems); returns whether a frame was added.</summary>
    public bool AddEpoch(int epoch, Func<float[,], float[]> probabilityOfClass1, double? loss = null, bool last = false)
    {
        if (!Captures(epoch, last)) return false;
        Gif.AddFrame(Plot.RenderProbabilities(probabilityOfClass1, Caption(epoch, loss)));
        return true;
    }

    /// <summary>Adds a frame from predicted classes (any number of classes); returns whether a frame was added.</summary>
    public bool AddEpochClasses(int epoch, Func<float[,], int[]> classify, double? loss = null, bool last = false)
    {
        if (!Captures(epoch, last)) return false;
        Gif.AddFrame(Plot.RenderClasses(classify, Caption(epoch, loss)));
        return true;
    }

    /// <summary>Writes the GIF atomically.</summary>
    public void Save(string path) => Gif.Save(path);

    internal static string Caption(int epoch, double? loss) =>
        loss is double l ? FormattableString.Invariant($"epoch {epoch}  loss {FormatLoss(l)}") : FormattableString.Invariant($"epoch {epoch}");

    internal static string FormatLoss(double loss) =>
        !double.IsFinite(loss) ? loss.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Math.Abs(loss) >= 0.001 || loss == 0 ? loss.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)
        : loss.ToString("0.00e+0", System.Globalization.CultureInfo.InvariantCulture);
}
