using System.Globalization;
using System.Text;

namespace ScratchNet;

/// <summary>
/// Text from a file, made safe to quote in a one-line message: cut to a short excerpt and with
/// control characters escaped, so that a 10 MB cell or a line break in a field cannot flood or split
/// the error line.
/// </summary>
public static class TextExcerpt
{
    /// <summary>The default length of an excerpt, in characters.</summary>
    public const int DefaultLength = 40;

    /// <summary>
    /// <paramref name="text"/> with control characters as escapes (\n, \t, \u0001) and, when it is
    /// longer than <paramref name="max"/> characters, its first <paramref name="max"/> followed by
    /// "... (N characters)".
    /// </summary>
    public static string Of(ReadOnlySpan<char> text, int max = DefaultLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var sb = new StringBuilder(Math.Min(text.Length, max) + 24);
        int shown = Math.Min(text.Length, max);
        // Do not cut a surrogate pair in two: the half would not print.
        if (shown < text.Length && shown > 0 && char.IsHighSurrogate(text[shown - 1])) shown--;
        for (int i = 0; i < shown; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || (char.IsSurrogate(c) && !IsPaired(text, i))
                        || c is '\u2028' or '\u2029' or '\u0085')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        if (shown < text.Length) sb.Append(CultureInfo.InvariantCulture, $"... ({text.Length:N0} characters)");
        return sb.ToString();
    }

    /// <summary>Whether <paramref name="text"/> is a plausible name: 1 to <paramref name="max"/> characters, none of them a control character.</summary>
    public static bool IsName(string? text, int max = 100) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= max && !text.Any(char.IsControl);

    private static bool IsPaired(ReadOnlySpan<char> text, int i) =>
        char.IsHighSurrogate(text[i]) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
        : i > 0 && char.IsHighSurrogate(text[i - 1]);
}
