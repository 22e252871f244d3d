using System.Globalization;

namespace ScratchNet.Optimizers;

/// <summary>Builds the text settings of an optimizer (invariant culture, round-trip floats).</summary>
internal static class OptimizerSettings
{
    public static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> baseSettings, params (string Key, float Value)[] extra)
    {
        var d = new Dictionary<string, string>(baseSettings);
        foreach (var (k, v) in extra) d[k] = v.ToString("R", CultureInfo.InvariantCulture);
        return d;
    }
}
