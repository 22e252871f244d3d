using ScratchNet.Tensors;

namespace ScratchNet.Playground.Lab;

/// <summary>The input features made from a point (x1, x2): x1, x2, x1², x2², x1·x2, sin x1, sin x2.</summary>
public static class FeatureMap
{
    /// <summary>Feature <paramref name="name"/> of the point (x1, x2).</summary>
    public static float Value(string name, float x1, float x2) => name switch
    {
        "x1" => x1,
        "x2" => x2,
        "x1^2" => x1 * x1,
        "x2^2" => x2 * x2,
        "x1*x2" => x1 * x2,
        "sin(x1)" => MathF.Sin(x1),
        "sin(x2)" => MathF.Sin(x2),
        _ => throw new ArgumentException($"unknown feature '{name}'", nameof(name)),
    };

    /// <summary>How the page writes feature <paramref name="name"/>.</summary>
    public static string Label(string name) => name switch
    {
        "x1^2" => "x₁²",
        "x2^2" => "x₂²",
        "x1*x2" => "x₁·x₂",
        "sin(x1)" => "sin x₁",
        "sin(x2)" => "sin x₂",
        "x1" => "x₁",
        _ => "x₂",
    };

    /// <summary>The inputs (n, features) of the points.</summary>
    public static Tensor Inputs(IReadOnlyList<string> features, float[] x1, float[] x2)
    {
        var x = new Tensor(x1.Length, features.Count);
        var span = x.Span;
        for (int i = 0; i < x1.Length; i++)
            for (int j = 0; j < features.Count; j++) span[i * features.Count + j] = Value(features[j], x1[i], x2[i]);
        return x;
    }
}
