namespace ScratchNet.Models;

/// <summary>Settings of <see cref="GradientCheck.Run"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>
    /// Step h of the central difference (L(θ + h) - L(θ - h)) / 2h. In float32 a step near 1e-2..1e-3
    /// balances truncation error (grows as h²) against rounding error (grows as 1/h). Measured on a
    /// 784-256-128-10 ReLU network, batch 16: correct gradients gave at most 1e-3 (h = 1e-2), 4e-3 (3e-3),
    /// 1.1e-2 (1e-3), while a factor-2 bug gives 0.5; a smaller h crosses fewer ReLU kinks.
    /// </summary>
    public float Epsilon { get; init; } = 3e-3f;

    /// <summary>The check passes when every relative error is at most this.</summary>
    public double Tolerance { get; init; } = 2e-2;

    /// <summary>
    /// Smallest denominator of the relative error |a - n| / max(|a|, |n|, floor), so gradients that
    /// are nearly 0 are judged by absolute error instead of amplifying float32 noise.
    /// </summary>
    public double Floor { get; init; } = 1e-3;

    /// <summary>At most this many entries per tensor are checked (chosen at random, deterministically); 0 = all.</summary>
    public int MaxEntriesPerTensor { get; init; } = 64;

    /// <summary>Run the model in training mode (dropout active with masks held fixed, batch statistics).</summary>
    public bool Training { get; init; } = true;

    /// <summary>Also check dL/dinput.</summary>
    public bool CheckInput { get; init; } = true;

    /// <summary>Skip entries whose ± h moves an input of a piecewise layer (ReLU) across a kink (see <see cref="Layers.IPiecewiseLayer"/>).</summary>
    public bool SkipKinks { get; init; } = true;

    /// <summary>Seed for choosing which entries to check.</summary>
    public ulong Seed { get; init; } = 1;
}
