namespace ScratchNet.Models;

/// <summary>Settings of <see cref="GradientCheck.Run"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>
    /// Step h of the central difference (L(θ + h) - L(θ - h)) / 2h. In float32 a step near 1e-2..1e-3
    /// balances truncation error (grows as h²) against rounding error (grows as 1/h); 1e-2 measured best
    /// on small models (errors of correct gradients about 3e-3, a factor-2 bug 0.5).
    /// </summary>
    public float Epsilon { get; init; } = 1e-2f;

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

    /// <summary>Seed for choosing which entries to check.</summary>
    public ulong Seed { get; init; } = 1;
}
