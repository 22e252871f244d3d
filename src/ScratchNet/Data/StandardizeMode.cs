namespace ScratchNet.Data;

/// <summary>How features are rescaled (fitted on the training split only).</summary>
public enum StandardizeMode
{
    /// <summary>Features are used as they are.</summary>
    None,
    /// <summary>z = (x - mean) / std, with the training split's mean and population standard deviation.</summary>
    ZScore,
    /// <summary>z = (x - min) / (max - min), with the training split's minimum and maximum.</summary>
    MinMax,
}
