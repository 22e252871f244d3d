using System.Globalization;
using System.Text;

namespace ScratchNet;

/// <summary>
/// A short, printable excerpt of text read from a file, for error messages: a hostile file could
/// otherwise put megabytes, line breaks or terminal escape sequences into a one-line message.
/// </summary>
internal static class TextExcerpt
{
    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, control characters escaped as \uXXXX, "..." when cut.</summary>
    public static string Of(string? text, int max = 40)
    {
        if (text is null) return "(null)";
        var sb = new StringBuilder(Math.Min(text.Length, max) + 8);
        for (int i = 0; i < text.Length; i++)
        {
            if (sb.Length >= max)
            {
                sb.Append("...");
                break;
            }
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) sb.Append(c).Append(text[++i]);
            else if (char.IsControl(c) || char.IsSurrogate(c)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Whether <paramref name="text"/> is a plausible name: 1 to <paramref name="max"/> characters, none of them a control character.</summary>
    public static bool IsName(string? text, int max = 100) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= max && !text.Any(char.IsControl);
}
