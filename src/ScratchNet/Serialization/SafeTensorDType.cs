namespace ScratchNet.Serialization;

/// <summary>The element types of the safetensors format and their sizes in bytes.</summary>
public static class SafeTensorDType
{
    /// <summary>32-bit float, the type of every ScratchNet parameter.</summary>
    public const string F32 = "F32";

    /// <summary>64-bit unsigned integer (ScratchNet stores generator states with it).</summary>
    public const string U64 = "U64";

    /// <summary>64-bit signed integer.</summary>
    public const string I64 = "I64";

    private static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    /// <summary>The size in bytes of one element of <paramref name="dtype"/>, or 0 for an unknown type.</summary>
    public static int SizeOf(string dtype) => Sizes.TryGetValue(dtype, out int s) ? s : 0;

    /// <summary>Every known dtype name.</summary>
    public static IEnumerable<string> Known => Sizes.Keys;
}
