using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Per-parameter state tensors ("slots", such as Adam's m and v) of one optimizer, created as zeros
/// on the first step and named "p{index}.{slot}" for checkpoints.
/// </summary>
internal sealed class OptimizerSlots
{
    private readonly string _owner;
    private readonly string[] _slotNames;
    private Tensor[][]? _slots; // [slot][parameter]

    public OptimizerSlots(string owner, params string[] slotNames)
    {
        _owner = owner;
        _slotNames = slotNames;
    }

    /// <summary>The tensors of slot <paramref name="slot"/>, one per parameter (after <see cref="Ensure"/>).</summary>
    public Tensor[] this[int slot] => _slots![slot];

    /// <summary>Creates zero slots for these parameters on first use; afterwards checks they still match.</summary>
    public void Ensure(IReadOnlyList<Parameter> parameters)
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
        if (_slots.Length > 0 && _slots[0].Length != parameters.Count)
            throw new InvalidOperationException($"{_owner} was used with {_slots[0].Length} parameters and now gets {parameters.Count}: one optimizer serves one model.");
        for (int s = 0; s < _slots.Length; s++)
            for (int p = 0; p < parameters.Count; p++)
                if (_slots[s][p].Length != parameters[p].Value.Length)
                    throw new ShapeMismatchException($"{_owner} state 'p{p}.{_slotNames[s]}' does not fit parameter {p} ({parameters[p].Name})",
                        _slots[s][p].ShapeString, parameters[p].Value.ShapeString);
    }

    public IReadOnlyList<(string Name, Tensor Value)> GetState()
    {
        if (_slots is null) return [];
        var list = new List<(string, Tensor)>();
        int count = _slots.Length == 0 ? 0 : _slots[0].Length;
        for (int p = 0; p < count; p++)
            for (int s = 0; s < _slots.Length; s++)
                list.Add(($"p{p}.{_slotNames[s]}", _slots[s][p]));
        return list;
    }

    public void SetState(IReadOnlyDictionary<string, Tensor> state)
    {
        int count = 0;
        while (state.ContainsKey($"p{count}.{_slotNames[0]}")) count++;
        if (count == 0 && state.Count == 0) { _slots = null; return; }
        var slots = new Tensor[_slotNames.Length][];
        for (int s = 0; s < _slotNames.Length; s++)
        {
            slots[s] = new Tensor[count];
            for (int p = 0; p < count; p++)
            {
                string name = $"p{p}.{_slotNames[s]}";
                if (!state.TryGetValue(name, out var t))
                    throw new FormatException($"{_owner} state is missing tensor '{name}'.");
                slots[s][p] = t.Clone();
            }
        }
        _slots = slots;
    }
}
