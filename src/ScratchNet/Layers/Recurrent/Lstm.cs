using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Recurrent;

/// <summary>
/// Long short-term memory (Hochreiter and Schmidhuber 1997, with the forget gate), gates in PyTorch's
/// order i, f, g, o: with a = x_t W_x + h_{t−1} W_h + b split in four blocks of H,
/// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o); c_t = f ⊙ c_{t−1} + i ⊙ g; h_t = o ⊙ tanh(c_t);
/// h_0 = c_0 = 0.
/// </summary>
/// <remarks>
/// Backward, t = T−1 down to 0, with dh the output's gradient plus what step t+1 sent back and dc
/// carried from step t+1 through the forget gate:
/// do = dh ⊙ tanh(c_t); dc = dh ⊙ o ⊙ (1 − tanh²(c_t)) + dc_{t+1}·f_{t+1};
/// di = dc ⊙ g; dg = dc ⊙ i; df = dc ⊙ c_{t−1};
/// da_i = di ⊙ i(1 − i), da_f = df ⊙ f(1 − f), da_g = dg ⊙ (1 − g²), da_o = do ⊙ o(1 − o);
/// dh_{t−1} += da W_hᵀ, dW_h += h_{t−1}ᵀ da. The cell state's path, dc_{t−1} = dc ⊙ f, has no
/// weight matrix in it: that is how the gradient survives many steps.
/// </remarks>
public sealed class Lstm : RecurrentLayer
{
    private readonly GrowingBuffer _cells = new(), _tanhCells = new(), _carry = new();
    private Tensor? _c, _tc;

    /// <summary>An LSTM with <paramref name="units"/> hidden values; <paramref name="returnSequences"/> returns every h_t, else the last.</summary>
    public Lstm(int units, bool returnSequences = true) : base(units, returnSequences) { }

    /// <inheritdoc/>
    public override string TypeName => "LSTM";

    /// <inheritdoc/>
    protected override int Gates => 4;

    /// <inheritdoc/>
    protected override void ForwardSteps(int batch, Span<float> pre, Span<float> states)
    {
        int h = Units, steps = Steps, width = 4 * h;
        var c = (_c = _cells.For([batch, steps, h])).Span;
        var tc = (_tc = _tanhCells.For([batch, steps, h])).Span;
        var bias = Bias.Value.Span;
        for (int t = 0; t < steps; t++)
        {
            if (t > 0) AddRecurrentProduct(batch, states[((t - 1) * h)..], steps * h, 0, width, pre, t);
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h, gates = (b * steps + t) * width;
                for (int j = 0; j < h; j++)
                {
                    float i = Sigmoid(pre[gates + j] + bias[j]);
                    float f = Sigmoid(pre[gates + h + j] + bias[h + j]);
                    float g = MathF.Tanh(pre[gates + 2 * h + j] + bias[2 * h + j]);
                    float o = Sigmoid(pre[gates + 3 * h + j] + bias[3 * h + j]);
                    float previous = t > 0 ? c[row - h + j] : 0f;
                    float cell = f * previous + i * g;
                    float squashed = MathF.Tanh(cell);
                    pre[gates + j] = i;
                    pre[gates + h + j] = f;
                    pre[gates + 2 * h + j] = g;
                    pre[gates + 3 * h + j] = o;
                    c[row + j] = cell;
                    tc[row + j] = squashed;
                    states[row + j] = o * squashed;
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override void BackwardSteps(int batch, Span<float> gradStates, Span<float> gradPre)
    {
        int h = Units, steps = Steps, width = 4 * h;
        var gates = PreActivationsOfLastForward;
        var states = StatesOfLastForward;
        var c = _c!.Span;
        var tc = _tc!.Span;
        var dcNext = _carry.For([batch, h]).Span;
        dcNext.Clear();
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h, g0 = (b * steps + t) * width;
                for (int j = 0; j < h; j++)
                {
                    float i = gates[g0 + j], f = gates[g0 + h + j], g = gates[g0 + 2 * h + j], o = gates[g0 + 3 * h + j];
                    float dh = gradStates[row + j];
                    float squashed = tc[row + j];
                    float dOut = dh * squashed;
                    float dc = dh * o * (1f - squashed * squashed) + dcNext[b * h + j];
                    float previous = t > 0 ? c[row - h + j] : 0f;
                    float di = dc * g;
                    float dg = dc * i;
                    float df = dc * previous;
                    dcNext[b * h + j] = dc * f;
                    gradPre[g0 + j] = di * i * (1f - i);
                    gradPre[g0 + h + j] = df * f * (1f - f);
                    gradPre[g0 + 2 * h + j] = dg * (1f - g * g);
                    gradPre[g0 + 3 * h + j] = dOut * o * (1f - o);
                }
            }
            if (t == 0) continue;
            RecurrentInputGradient(batch, gradPre, t, 0, width, gradStates[((t - 1) * h)..], steps * h, accumulate: true);
            AddRecurrentWeightGradient(batch, states[((t - 1) * h)..], steps * h, gradPre, t, 0, width);
        }
    }
}
