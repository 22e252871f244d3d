using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Recurrent;

/// <summary>
/// Gated recurrent unit (Cho et al. 2014), as makemore writes it, blocks in the order z, r, n:
/// z = σ(x_t W_xz + h_{t−1} W_hz + b_z) (update), r = σ(x_t W_xr + h_{t−1} W_hr + b_r) (reset),
/// n = tanh(x_t W_xn + (r ⊙ h_{t−1}) W_hn + b_n), h_t = (1 − z) ⊙ h_{t−1} + z ⊙ n; h_0 = 0.
/// </summary>
/// <remarks>
/// The reset gate scales the previous state before its product with W_hn (PyTorch's nn.GRU scales
/// the product instead, r ⊙ (h W_hn + b_hn), and has the roles of z and 1 − z swapped).
/// Backward, t = T−1 down to 0, with dh the output's gradient plus what step t+1 sent back:
/// da_n = dh ⊙ z ⊙ (1 − n²); da_z = dh ⊙ (n − h_{t−1}) ⊙ z(1 − z);
/// d(r ⊙ h_{t−1}) = da_n W_hnᵀ; da_r = d(r ⊙ h_{t−1}) ⊙ h_{t−1} ⊙ r(1 − r);
/// dh_{t−1} += dh ⊙ (1 − z) + d(r ⊙ h_{t−1}) ⊙ r + [da_z, da_r] W_h,zrᵀ;
/// dW_h,zr += h_{t−1}ᵀ [da_z, da_r], dW_hn += (r ⊙ h_{t−1})ᵀ da_n.
/// </remarks>
public sealed class Gru : RecurrentLayer
{
    private readonly GrowingBuffer _resetStates = new(), _gradReset = new();
    private Tensor? _rh;

    /// <summary>A GRU with <paramref name="units"/> hidden values; <paramref name="returnSequences"/> returns every h_t, else the last.</summary>
    public Gru(int units, bool returnSequences = true) : base(units, returnSequences) { }

    /// <inheritdoc/>
    public override string TypeName => "GRU";

    /// <inheritdoc/>
    protected override int Gates => 3;

    /// <inheritdoc/>
    protected override void ForwardSteps(int batch, Span<float> pre, Span<float> states)
    {
        int h = Units, steps = Steps, width = 3 * h;
        var rh = (_rh = _resetStates.For([batch, steps, h])).Span;
        var bias = Bias.Value.Span;
        for (int t = 0; t < steps; t++)
        {
            if (t > 0) AddRecurrentProduct(batch, states[((t - 1) * h)..], steps * h, 0, 2 * h, pre, t);
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h, g0 = (b * steps + t) * width;
                for (int j = 0; j < h; j++)
                {
                    float z = Sigmoid(pre[g0 + j] + bias[j]);
                    float r = Sigmoid(pre[g0 + h + j] + bias[h + j]);
                    pre[g0 + j] = z;
                    pre[g0 + h + j] = r;
                    rh[row + j] = t > 0 ? r * states[row - h + j] : 0f;
                }
            }
            if (t > 0) AddRecurrentProduct(batch, rh[(t * h)..], steps * h, 2 * h, h, pre, t);
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h, g0 = (b * steps + t) * width;
                for (int j = 0; j < h; j++)
                {
                    float n = MathF.Tanh(pre[g0 + 2 * h + j] + bias[2 * h + j]);
                    float z = pre[g0 + j];
                    float previous = t > 0 ? states[row - h + j] : 0f;
                    pre[g0 + 2 * h + j] = n;
                    states[row + j] = (1f - z) * previous + z * n;
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override void BackwardSteps(int batch, Span<float> gradStates, Span<float> gradPre)
    {
        int h = Units, steps = Steps, width = 3 * h, stride = steps * h;
        var gates = PreActivationsOfLastForward;
        var states = StatesOfLastForward;
        var rh = _rh!.Span;
        var dRh = _gradReset.For([batch, h]).Span;
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h, g0 = (b * steps + t) * width;
                for (int j = 0; j < h; j++)
                {
                    float z = gates[g0 + j], n = gates[g0 + 2 * h + j];
                    float dh = gradStates[row + j];
                    float previous = t > 0 ? states[row - h + j] : 0f;
                    gradPre[g0 + 2 * h + j] = dh * z * (1f - n * n);
                    gradPre[g0 + j] = dh * (n - previous) * z * (1f - z);
                    gradPre[g0 + h + j] = 0f;
                    if (t > 0) gradStates[row - h + j] += dh * (1f - z);
                }
            }
            if (t == 0) continue;
            RecurrentInputGradient(batch, gradPre, t, 2 * h, h, dRh, h, accumulate: false);
            for (int b = 0; b < batch; b++)
            {
                int row = (b * steps + t) * h, g0 = (b * steps + t) * width;
                for (int j = 0; j < h; j++)
                {
                    float r = gates[g0 + h + j];
                    float d = dRh[b * h + j];
                    gradPre[g0 + h + j] = d * states[row - h + j] * r * (1f - r);
                    gradStates[row - h + j] += d * r;
                }
            }
            RecurrentInputGradient(batch, gradPre, t, 0, 2 * h, gradStates[((t - 1) * h)..], stride, accumulate: true);
            AddRecurrentWeightGradient(batch, states[((t - 1) * h)..], stride, gradPre, t, 0, 2 * h);
            AddRecurrentWeightGradient(batch, rh[(t * h)..], stride, gradPre, t, 2 * h, h);
        }
    }
}
