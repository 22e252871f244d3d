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

    /// <inheritdoc/>
    public sealed override void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        int count = 0;
        while (state.ContainsKey($"p{count}.{_slotNames[0]}")) count++;
        if (count == 0 && state.Count == 0) _slots = null;
        else
        {
            var slots = new Tensor[_slotNames.Length][];
            for (int s = 0; s < _slotNames.Length; s++)
            {
                slots[s] = new Tensor[count];
                for (int p = 0; p < count; p++)
                {
                    string name = $"p{p}.{_slotNames[s]}";
                    if (!state.TryGetValue(name, out var t))
                        throw new FormatException($"{Name} state is missing tensor '{name}'.");
                    slots[s][p] = t.Clone();
                }
            }
            _slots = slots;
        }
        StepCount = stepCount;
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
