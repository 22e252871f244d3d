using System.Globalization;

namespace ScratchNet.Layers;

/// <summary>Invariant, round-tripping text for layer settings.</summary>
internal static class SpecText
{
    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    public static float GetFloat(LayerSpec spec, string key, float fallback) =>
        spec.Settings.ContainsKey(key) ? spec.GetFloat(key) : fallback;

    /// <summary>The settings with "weightInit" and "biasInit" added for the initialisers that are given (absent keys mean the defaults).</summary>
    public static Dictionary<string, string> WithInitializers(Dictionary<string, string> settings, Initializers.Initializer? weightInit, Initializers.Initializer? biasInit)
    {
        if (weightInit is not null) settings["weightInit"] = weightInit.Name;
        if (biasInit is not null) settings["biasInit"] = biasInit.Name;
        return settings;
    }

    public static bool GetBool(LayerSpec spec, string key, bool fallback)
    {
        if (!spec.Settings.TryGetValue(key, out var v)) return fallback;
        return bool.TryParse(v, out bool b) ? b : throw new FormatException($"Layer '{TextExcerpt.Of(spec.Type)}' setting '{TextExcerpt.Of(key)}' is not true or false: '{TextExcerpt.Of(v)}'.");
    }
}
