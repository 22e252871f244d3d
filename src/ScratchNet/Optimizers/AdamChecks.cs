namespace ScratchNet.Optimizers;

/// <summary>Argument checks shared by Adam and AdamW.</summary>
internal static class AdamChecks
{
    public static void Validate(float beta1, float beta2, float epsilon)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), $"Beta1 must be in [0, 1) (got {beta1}).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), $"Beta2 must be in [0, 1) (got {beta2}).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be >= 0 (got {epsilon}).");
    }
}
