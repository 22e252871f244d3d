using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScratchNet.Training.Presets;

/// <summary>How recipes are written as JSON: snake_case names, nulls left out, NaN allowed, enums by name.</summary>
internal static class RecipeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        RespectRequiredConstructorParameters = true,
    };
}
