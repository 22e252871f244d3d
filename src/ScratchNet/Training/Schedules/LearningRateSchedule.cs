using System.Globalization;

namespace ScratchNet.Training.Schedules;

/// <summary>
/// The learning rate η as a function of training progress. The trainer sets the optimizer's rate to
/// <see cref="CurrentRate"/> before every step, calls <see cref="AdvanceStep"/> after it, and
/// <see cref="AdvanceEpoch"/> at the end of each epoch with the monitored loss (validation loss when
/// there is a validation set, otherwise the training loss).
/// </summary>
/// <remarks>
/// The position (<see cref="Epoch"/>, <see cref="Step"/>) and any adaptive state are kept here and
/// saved by <see cref="GetState"/>, so a resumed run continues with the same rates.
/// </remarks>
public abstract class LearningRateSchedule
{
    private float _baseRate = float.NaN;

    /// <summary>The name used in metrics and summaries ("cosine").</summary>
    public abstract string Name { get; }

    /// <summary>η₀, the starting rate. The trainer takes it from the optimizer when it is not set.</summary>
    public float BaseRate
    {
        get => _baseRate;
        set
        {
            if (!(value > 0) || float.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), $"The base learning rate must be a positive number (got {value}).");
            _baseRate = value;
        }
    }

    /// <summary>Whether <see cref="BaseRate"/> has been set.</summary>
    public bool HasBaseRate => !float.IsNaN(_baseRate);

    /// <summary>Optimizer steps per epoch (set by the trainer; step-based schedules use it).</summary>
    public int StepsPerEpoch { get; set; } = 1;

    /// <summary>Epochs completed so far (0 during the first epoch).</summary>
    public int Epoch { get; private set; }

    /// <summary>Optimizer steps completed so far, over all epochs.</summary>
    public long Step { get; private set; }

    /// <summary>η for the next step.</summary>
    public float CurrentRate => RateAt(Epoch, Step);

    /// <summary>
    /// η at epoch <paramref name="epoch"/> and global step <paramref name="step"/> (both 0-based), with
    /// the adaptive state as it is now (a plateau schedule's reductions so far).
    /// </summary>
    public float RateAt(int epoch, long step)
    {
        if (!HasBaseRate) throw new InvalidOperationException($"Schedule '{Name}' has no base learning rate: set BaseRate.");
        return Rate(epoch, step);
    }

    /// <summary>The rate at epoch <paramref name="epoch"/> (0-based) and global step <paramref name="step"/> (0-based).</summary>
    protected abstract float Rate(int epoch, long step);

    /// <summary>Records one optimizer step.</summary>
    public void AdvanceStep() => Step++;

    /// <summary>Records the end of an epoch whose monitored loss was <paramref name="monitoredLoss"/> (lower is better).</summary>
    public void AdvanceEpoch(double monitoredLoss)
    {
        OnEpochEnd(monitoredLoss);
        Epoch++;
    }

    /// <summary>Adaptive schedules update themselves here.</summary>
    protected virtual void OnEpochEnd(double monitoredLoss) { }

    /// <summary>The position and adaptive state, for checkpoints ("epoch", "step", ...).</summary>
    public virtual IReadOnlyDictionary<string, double> GetState() =>
        new Dictionary<string, double> { ["epoch"] = Epoch, ["step"] = Step, ["base_rate"] = _baseRate };

    /// <summary>
    /// Restores <see cref="GetState"/>'s values, after checking every one: a state read from a file
    /// could otherwise set a negative or NaN position or rate, and with it every rate that follows.
    /// </summary>
    /// <exception cref="FormatException">A value is missing, or is not a number of the right kind and range; nothing is changed.</exception>
    public virtual void SetState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int epoch = (int)WholeNumber(state, "epoch", int.MaxValue - 1);
        long step = (long)WholeNumber(state, "step", MaxStep);
        double b = Get(state, "base_rate");
        if (!(b > 0) || !float.IsFinite((float)b))
            throw new FormatException($"The {Name} schedule's 'base_rate' must be a positive number (got {Text(b)}).");
        Epoch = epoch;
        Step = step;
        _baseRate = (float)b;
    }

    /// <summary>The largest step count a state may hold: 2^53, up to which a double counts exactly.</summary>
    private const double MaxStep = 9007199254740992;

    /// <summary>Hyperparameters as text, for metrics files.</summary>
    public virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["schedule"] = Name };

    /// <summary>A state value or an error naming it.</summary>
    /// <exception cref="FormatException">The state has no <paramref name="key"/>.</exception>
    protected double Get(IReadOnlyDictionary<string, double> state, string key)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.TryGetValue(key, out double v) ? v : throw new FormatException($"The {Name} schedule's state has no '{key}'.");
    }

    /// <summary>A state value that must be a whole number in [0, <paramref name="max"/>], or an error naming it.</summary>
    /// <exception cref="FormatException">Missing, fractional, negative, too large or NaN.</exception>
    protected double WholeNumber(IReadOnlyDictionary<string, double> state, string key, double max)
    {
        double v = Get(state, key);
        if (!(v >= 0 && v <= max) || v != Math.Floor(v))
            throw new FormatException($"The {Name} schedule's '{key}' must be a whole number in [0, {Text(max)}] (got {Text(v)}).");
        return v;
    }

    /// <summary>Formats a number for <see cref="Settings"/>.</summary>
    protected static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
