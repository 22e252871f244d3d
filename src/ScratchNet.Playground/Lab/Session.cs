using System.Diagnostics;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Playground.Lab;

/// <summary>
/// One training run of the page: the library's <see cref="Sequential"/> of <see cref="Dense"/> layers,
/// its optimizer and loss, trained by the library's <see cref="Trainer"/> one epoch at a time
/// (<see cref="Trainer.Epochs"/>: the same loop as <c>scratchnet train</c>), so play, pause and step are
/// just how many epochs the page asks for between two drawings.
/// </summary>
public sealed class Session
{
    private readonly IEnumerator<EpochMetrics> _epochs;

    private Session(Settings settings, Points points)
    {
        Settings = settings;
        Points = points;
        Train = points.ToDataset(settings.Features, test: false);
        Test = points.ToDataset(settings.Features, test: true);
        Loss = Classifies ? new SoftmaxCrossEntropy() : new MeanSquaredError();
        Model = BuildModel(settings, Classifies ? points.ClassCount : 1);
        Trainer = new Trainer(Model, new TrainerOptions
        {
            Loss = Loss,
            Optimizer = OptimizerFactory.Create(settings.Optimizer, (float)settings.LearningRate),
            Epochs = Limits.MaxEpochs, // the page stops when the user pauses
            BatchSize = settings.BatchSize,
            Seed = settings.Seed,
            Test = Test.Count > 0 ? Test : null,
            Regularization = settings.L1 > 0 || settings.L2 > 0 ? new Regularization { L1 = (float)settings.L1, L2 = (float)settings.L2 } : null,
        });
        Trainer.Prepare(Train);
        _epochs = Trainer.Epochs(Train, History).GetEnumerator();
    }

    public Settings Settings { get; }
    public Points Points { get; }
    public InMemoryDataset Train { get; }
    public InMemoryDataset Test { get; }
    public Loss Loss { get; }
    public Sequential Model { get; }
    public Trainer Trainer { get; }
    public TrainingHistory History { get; } = new();
    public bool Classifies => Points.ClassCount > 0;

    /// <summary>Epochs trained so far.</summary>
    public int Epoch => History.Epochs.Count;

    /// <summary>Optimizer steps per epoch: ⌈training points / batch size⌉.</summary>
    public int StepsPerEpoch => (Train.Count + Math.Min(Settings.BatchSize, Train.Count) - 1) / Math.Min(Settings.BatchSize, Train.Count);

    /// <summary>Steps per second of the training part of the epochs so far (the library's own clock, <see cref="EpochMetrics.Seconds"/>, evaluation excluded).</summary>
    public double StepsPerSecond => History.Epochs.Sum(e => e.Seconds) is var s and > 0 ? Epoch * StepsPerEpoch / s : double.NaN;

    /// <summary>A session of <paramref name="settings"/> (its weights built from the seed, nothing trained).</summary>
    /// <exception cref="DataFormatException">The data cannot make a training set (too few points, one class only).</exception>
    public static Session Start(Settings settings, Points? csv)
    {
        var points = Points.Make(settings, csv);
        if (points.IsTest.Count(t => !t) < 1) throw new DataFormatException(points.Source, "has no training point: draw or load some");
        return new Session(settings.Clone(), points);
    }

    /// <summary>The network of the settings: per hidden layer Dense (initialised for its activation), the activation, dropout; then Dense(outputs).</summary>
    public static Sequential BuildModel(Settings s, int outputs)
    {
        var layers = new List<Layer>();
        foreach (var l in s.Layers)
        {
            Activation? activation = l.Activation == "linear" ? null : LayerFactory.Activation(l.Activation);
            layers.Add(new Dense(l.Units, Initializer.ForActivation(activation?.TypeName ?? "")));
            if (activation is not null) layers.Add(activation);
            if (s.Dropout > 0) layers.Add(new Dropout((float)s.Dropout));
        }
        layers.Add(new Dense(outputs));
        return new Sequential(layers.ToArray());
    }

    /// <summary>Trains whole epochs until <paramref name="budget"/> has passed (at least one); returns how many.</summary>
    public int TrainFor(TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        int done = 0;
        do
        {
            if (!_epochs.MoveNext()) break;
            done++;
        }
        while (clock.Elapsed < budget);
        return done;
    }

    /// <summary>The model's evaluation on the test points (or the training points when there is no test point).</summary>
    public EvaluationResult Evaluate(bool test) => Evaluation.Evaluate(Model, test && Test.Count > 0 ? Test : Train, Loss);

    /// <summary>The model's class (or value) for each of the points' rows, in order, as the library predicts it.</summary>
    public float[] Predict()
    {
        var x = FeatureMap.Inputs(Settings.Features, Points.X1, Points.X2);
        var y = Evaluation.Predict(Model, x);
        if (!Classifies) return y.ToArray();
        int k = y.Columns;
        var result = new float[Points.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var row = y.Span.Slice(i * k, k);
            int best = 0;
            for (int c = 1; c < k; c++) if (row[c] > row[best]) best = c;
            result[i] = best;
        }
        return result;
    }
}
