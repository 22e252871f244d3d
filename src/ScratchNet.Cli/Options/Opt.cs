using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ScratchNet.Cli.Options;

/// <summary>
/// Option factories whose parse errors are one plain sentence ("--lr must be a positive number, got '-1'"),
/// so a wrong value is reported like an unknown option: one line and exit code 1.
/// </summary>
public static class Opt
{
    /// <summary>A floating-point option; null when absent. <paramref name="min"/> is inclusive unless <paramref name="positive"/>.</summary>
    public static Option<double?> Number(string name, string description, double min = double.NegativeInfinity, bool positive = false, double max = double.PositiveInfinity, bool below = false)
    {
        return new Option<double?>(name)
        {
            Description = description,
            HelpName = "number",
            CustomParser = r =>
            {
                string text = Single(r);
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                {
                    r.AddError($"{name} must be a number, got '{Cut(text)}'");
                    return null;
                }
                string? problem = positive && !(v > 0) ? "a positive number"
                    : v < min ? $"a number >= {Fmt(min)}"
                    : below && !(v < max) ? $"a number below {Fmt(max)}"
                    : !below && v > max ? $"a number <= {Fmt(max)}"
                    : null;
                if (problem is not null) { r.AddError($"{name} must be {problem}, got '{Cut(text)}'"); return null; }
                return v;
            },
        };
    }

    /// <summary>An integer option; null when absent.</summary>
    public static Option<int?> Integer(string name, string description, int min = int.MinValue, int max = int.MaxValue)
    {
        return new Option<int?>(name)
        {
            Description = description,
            HelpName = "n",
            CustomParser = r =>
            {
                string text = Single(r);
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
                {
                    r.AddError($"{name} must be a whole number, got '{Cut(text)}'");
                    return null;
                }
                if (v < min || v > max)
                {
                    r.AddError(max == int.MaxValue ? $"{name} must be at least {min}, got '{Cut(text)}'" : $"{name} must be between {min} and {max}, got '{Cut(text)}'");
                    return null;
                }
                return v;
            },
        };
    }

    /// <summary>An unsigned 64-bit option (seeds); null when absent.</summary>
    public static Option<ulong?> Seed(string name, string description)
    {
        return new Option<ulong?>(name)
        {
            Description = description,
            HelpName = "n",
            CustomParser = r =>
            {
                string text = Single(r);
                if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v))
                {
                    r.AddError($"{name} must be a whole number >= 0, got '{Cut(text)}'");
                    return null;
                }
                return v;
            },
        };
    }

    /// <summary>A word from a fixed list (case-insensitive; returned lower-case); the error lists the valid words.</summary>
    public static Option<string?> Choice(string name, string description, IReadOnlyList<string> choices)
    {
        return new Option<string?>(name)
        {
            Description = $"{description} One of: {string.Join(", ", choices)}.",
            HelpName = string.Join('|', choices),
            CustomParser = r =>
            {
                string text = Single(r).Trim().ToLowerInvariant();
                if (!choices.Contains(text))
                {
                    r.AddError($"unknown {name.TrimStart('-')} '{Cut(Single(r))}'; valid: {string.Join(", ", choices)}");
                    return null;
                }
                return text;
            },
        };
    }

    /// <summary>
    /// A comma-separated list of positive integers ("256,128"), each at most <paramref name="max"/>, at
    /// most <paramref name="maxCount"/> of them, and with the products of neighbours (the weights
    /// between consecutive hidden layers) summing to at most <paramref name="maxNeighbourProducts"/>.
    /// </summary>
    public static Option<int[]?> IntList(string name, string description, int max = int.MaxValue, int maxCount = int.MaxValue, long maxNeighbourProducts = long.MaxValue)
    {
        return new Option<int[]?>(name)
        {
            Description = description,
            HelpName = "n,n,...",
            CustomParser = r =>
            {
                string text = Single(r);
                var parts = text.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length > maxCount)
                {
                    r.AddError($"{name} may list at most {maxCount:N0} numbers, got {parts.Length:N0}");
                    return null;
                }
                var values = new int[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
                    {
                        r.AddError($"{name} must be positive whole numbers separated by commas (e.g. 256,128), got '{Cut(text)}' ('{Cut(parts[i])}' is not)");
                        return null;
                    }
                    if (values[i] > max)
                    {
                        r.AddError($"{name} values must be at most {max:N0}, got {values[i]:N0}");
                        return null;
                    }
                }
                long products = 0;
                for (int i = 1; i < values.Length; i++) products += (long)values[i - 1] * values[i];
                if (products > maxNeighbourProducts)
                {
                    r.AddError($"{name} {Cut(text)} needs {products:N0} weights between its layers, more than the limit of {maxNeighbourProducts:N0} parameters");
                    return null;
                }
                return values;
            },
        };
    }

    /// <summary>A flag.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>A text option (a path or a name); null when absent.</summary>
    public static Option<string?> Text(string name, string description, string helpName = "text") =>
        new(name) { Description = description, HelpName = helpName };

    /// <summary>Whether the option was written on the command line (not just defaulted).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is OptionResult { Implicit: false };

    private static string Single(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";

    private static string Fmt(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>A value echoed in a message, cut short (a command line may carry megabytes).</summary>
    private static string Cut(string text) => TextExcerpt.Of(text);
}
