using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// An optimizer that keeps state tensors ("slots") for each parameter, such as Momentum's velocity
/// v or Adam's moments m and v. The slots are created as zeros on the first <see cref="Step"/>,
/// one per parameter and slot name, and saved in checkpoints as "p{index}.{slot}" (e.g. "p0.m").
/// </summary>
public abstract class StatefulOptimizer : Optimizer
{
    private readonly string[] _slotNames;
    private Tensor[][]? _slots; // [slot][parameter]

    /// <summary>An optimizer with step size η and one state tensor per parameter for each name in <paramref name="slotNames"/>.</summary>
    protected StatefulOptimizer(float learningRate, params string[] slotNames) : base(learningRate)
    {
        if (slotNames.Length == 0) throw new ArgumentException("A stateful optimizer needs at least one slot name.", nameof(slotNames));
        _slotNames = slotNames;
    }

    /// <summary>Creates the state on the first call (afterwards checks that it still fits), applies step t = <see cref="Optimizer.StepCount"/> + 1, and counts it.</summary>
    public sealed override void Step(IReadOnlyList<Parameter> parameters)
    {
        EnsureSlots(parameters);
        long t = StepCount + 1;
        Update(parameters, t);
        StepCount = t;
    }

    /// <summary>
    /// Applies step <paramref name="t"/> (1 on the first step) to every parameter p, from its
    /// gradient and its state <see cref="Slot"/>(s)[p].
    /// </summary>
    protected abstract void Update(IReadOnlyList<Parameter> parameters, long t);

    /// <summary>The state tensors of slot <paramref name="index"/> (in the order of the slot names), one per parameter in parameter order.</summary>
    protected Tensor[] Slot(int index) =>
        (_slots ?? throw new InvalidOperationException($"{Name} has no state before its first step."))[index];

    /// <inheritdoc/>
    public sealed override IReadOnlyList<(string Name, Tensor Value)> GetState()
    {
        if (_slots is null) return [];
        var list = new List<(string, Tensor)>();
        for (int p = 0; p < _slots[0].Length; p++)
            for (int s = 0; s < _slots.Length; s++)
                list.Add(($"p{p}.{_slotNames[s]}", _slots[s][p]));
        return list;
    }

    /// <summary>
    /// Whether slot <paramref name="slot"/> (an index into the slot names) can only hold values >= 0,
    /// as a sum or average of squares does: a negative one read from a file would make √ of it NaN.
    /// </summary>
    protected virtual bool IsNonNegative(int slot) => false;

    /// <inheritdoc/>
    /// <remarks>
    /// The state must be exactly "p{i}.{slot}" for i = 0 .. n-1 and every slot, the slots of one
    /// parameter of one shape, every value finite (and >= 0 in a slot of squares); nothing is changed
    /// when it is not.
    /// </remarks>
    public sealed override void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (stepCount < 0) throw new FormatException($"{Name}'s step count must be >= 0 (got {stepCount}).");
        int count = ParameterCount(state);
        if (count == 0 && stepCount > 0)
            throw new FormatException($"{Name} has taken {stepCount} steps, but its state is empty (it keeps {string.Join(", ", _slotNames.Select(n => $"'p0.{n}'"))}, ...).");
        Tensor[][]? slots = null;
        if (count > 0)
        {
            slots = new Tensor[_slotNames.Length][];
            for (int s = 0; s < _slotNames.Length; s++)
            {
                slots[s] = new Tensor[count];
                for (int p = 0; p < count; p++)
                {
                    string name = $"p{p}.{_slotNames[s]}";
                    if (!state.TryGetValue(name, out var t)) throw new FormatException($"{Name} state is missing tensor '{name}'.");
                    if (s > 0 && !t.SameShape(slots[0][p]))
                        throw new FormatException($"{Name} state '{name}' has shape {t.ShapeString}, but 'p{p}.{_slotNames[0]}' has shape {slots[0][p].ShapeString}.");
                    RequireValues(name, t.Span, IsNonNegative(s));
                    slots[s][p] = t.Clone();
                }
            }
        }
        _slots = slots;
        StepCount = stepCount;
    }

    /// <inheritdoc/>
    protected sealed override void CheckState(IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        int count = ParameterCount(state);
        if (count == 0) return; // no step taken yet: the slots are made on the first one
        if (count != parameters.Count)
            throw new FormatException($"{Name} state has tensors for {count} parameters; the model has {parameters.Count}.");
        for (int s = 0; s < _slotNames.Length; s++)
            for (int p = 0; p < count; p++)
            {
                string name = $"p{p}.{_slotNames[s]}";
                if (state.TryGetValue(name, out var t) && !t.SameShape(parameters[p].Value))
                    throw new FormatException($"{Name} state '{name}' has shape {t.ShapeString}, but parameter {p} ({parameters[p].Name}) has shape {parameters[p].Value.ShapeString}.");
            }
    }

    /// <summary>How many parameters the state covers ("p0..p{n-1}" of the first slot), after checking that it names nothing else.</summary>
    private int ParameterCount(IReadOnlyDictionary<string, Tensor> state)
    {
        int count = 0;
        while (state.ContainsKey($"p{count}.{_slotNames[0]}")) count++;
        foreach (var key in state.Keys)
            if (!IsSlotKey(key, count))
                throw new FormatException($"{Name} state has an unexpected tensor '{TextExcerpt.Of(key)}' (it keeps {string.Join(", ", _slotNames.Select(n => $"'p{{i}}.{n}'"))} for {count} parameters).");
        return count;
    }

    /// <summary>Whether <paramref name="key"/> is "p{i}.{slot}" with i &lt; <paramref name="count"/> written plainly and a known slot.</summary>
    private bool IsSlotKey(string key, int count)
    {
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot < 2 || key[0] != 'p') return false;
        string index = key[1..dot];
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return int.TryParse(index, System.Globalization.NumberStyles.None, invariant, out int p)
            && p < count && index == p.ToString(invariant) && _slotNames.Contains(key[(dot + 1)..]);
    }

    private void RequireValues(string name, ReadOnlySpan<float> values, bool nonNegative)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!float.IsFinite(v) || nonNegative && v < 0)
                throw new FormatException($"{Name} state '{name}' holds {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} at index {i}{(nonNegative ? " (it must be finite and >= 0)" : " (it must be finite)")}.");
        }
    }

    private void EnsureSlots(IReadOnlyList<Parameter> parameters)
    {
        if (_slots is null)
        {
            _slots = new Tensor[_slotNames.Length][];
            for (int s = 0; s < _slotNames.Length; s++)
            {
                _slots[s] = new Tensor[parameters.Count];
                for (int p = 0; p < parameters.Count; p++) _slots[s][p] = new Tensor(parameters[p].Value.ShapeArray());
            }
            return;
        }
        if (_slots[0].Length != parameters.Count)
            throw new InvalidOperationException($"{Name} was used with {_slots[0].Length} parameters and now gets {parameters.Count}: one optimizer serves one model.");
        for (int s = 0; s < _slots.Length; s++)
            for (int p = 0; p < parameters.Count; p++)
                if (_slots[s][p].Length != parameters[p].Value.Length)
                    throw new ShapeMismatchException($"{Name} state 'p{p}.{_slotNames[s]}' does not fit parameter {p} ({parameters[p].Name})",
                        _slots[s][p].ShapeString, parameters[p].Value.ShapeString);
    }
}
