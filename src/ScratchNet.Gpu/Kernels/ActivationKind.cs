namespace ScratchNet.Gpu.Kernels;

/// <summary>The activations the device kernels compute (<see cref="ActivationKernels"/>).</summary>
internal enum ActivationKind
{
    /// <summary>f(x) = x.</summary>
    Identity,
    /// <summary>f(x) = max(x, 0).</summary>
    ReLU,
    /// <summary>f(x) = x for x &gt; 0, αx otherwise.</summary>
    LeakyReLU,
    /// <summary>f(x) = 1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>f(x) = tanh x.</summary>
    Tanh,
    /// <summary>f(x) = x Φ(x), Φ the standard normal CDF.</summary>
    GELU,
}
