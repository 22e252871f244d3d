namespace ScratchNet.Layers.Recurrent;

/// <summary>
/// The plain (Elman) recurrent layer: h_t = tanh(x_t W_x + h_{t−1} W_h + b), h_0 = 0.
/// </summary>
/// <remarks>
/// Backpropagation through time, t = T−1 down to 0, with dh_t the output's gradient plus what step
/// t+1 sent back: da_t = dh_t ⊙ (1 − h_t²), dh_{t−1} += da_t W_hᵀ, dW_h += h_{t−1}ᵀ da_t
/// (and dW_x, db, dx from all da_t at once, <see cref="RecurrentLayer"/>). The factor W_hᵀ ⊙ (1 − h²)
/// applied T times is why gradients vanish or explode over long sequences, which the LSTM's and the
/// GRU's gates answer.
/// </remarks>
public sealed class SimpleRnn : RecurrentLayer
{
    /// <summary>A tanh RNN with <paramref name="units"/> hidden values; <paramref name="returnSequences"/> returns every h_t, else the last.</summary>
    public SimpleRnn(int units, bool returnSequences = true) : base(units, returnSequences) { }

    /// <inheritdoc/>
    public override string TypeName => "SimpleRNN";

    /// <inheritdoc/>
    protected override int Gates => 1;

    /// <inheritdoc/>
    protected override void ForwardSteps(int batch, Span<float> pre, Span<float> states)
    {
        int h = Units, steps = Steps;
        var bias = Bias.Value.Span;
        for (int t = 0; t < steps; t++)
        {
            if (t > 0) AddRecurrentProduct(batch, states[((t - 1) * h)..], steps * h, 0, h, pre, t);
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h;
                for (int j = 0; j < h; j++) states[row + j] = MathF.Tanh(pre[row + j] + bias[j]);
            }
        }
    }

    /// <inheritdoc/>
    protected override void BackwardSteps(int batch, Span<float> gradStates, Span<float> gradPre)
    {
        int h = Units, steps = Steps;
        var states = StatesOfLastForward;
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h;
                for (int j = 0; j < h; j++)
                {
                    float ht = states[row + j];
                    gradPre[row + j] = gradStates[row + j] * (1f - ht * ht);
                }
            }
            if (t == 0) continue;
            RecurrentInputGradient(batch, gradPre, t, 0, h, gradStates[((t - 1) * h)..], steps * h, accumulate: true);
            AddRecurrentWeightGradient(batch, states[((t - 1) * h)..], steps * h, gradPre, t, 0, h);
        }
    }
}
