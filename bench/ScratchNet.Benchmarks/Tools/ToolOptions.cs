using System.Globalization;

namespace ScratchNet.Benchmarks.Tools;

/// <summary>
/// "--name value" pairs after a tool's name. Every option a tool reads must be known to it, so that a
/// misspelt option stops the run instead of measuring something else.
/// </summary>
internal sealed class ToolOptions
{
    private readonly Dictionary<string, string> _values = [];
    private readonly HashSet<string> _read = [];

    private ToolOptions() { }

    /// <exception cref="ToolUsageException">An option without a value, or not of the form --name.</exception>
    public static ToolOptions Parse(string tool, IReadOnlyList<string> args)
    {
        var options = new ToolOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
                throw new ToolUsageException($"{tool}: expected an option --name, got '{name}'");
            if (i + 1 >= args.Count) throw new ToolUsageException($"{tool}: {name} needs a value");
            options._values[name[2..]] = args[++i];
        }
        return options;
    }

    public string? Text(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }

    public string Text(string name, string fallback) => Text(name) ?? fallback;

    public int Int(string name, int fallback, int min = int.MinValue)
    {
        string? text = Text(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min)
            throw new ToolUsageException($"--{name} must be a whole number >= {min} (got '{text}')");
        return v;
    }

    public ulong ULong(string name, ulong fallback)
    {
        string? text = Text(name);
        if (text is null) return fallback;
        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong v))
            throw new ToolUsageException($"--{name} must be a whole number >= 0 (got '{text}')");
        return v;
    }

    public bool Bool(string name, bool fallback) => Text(name) switch
    {
        null => fallback,
        "1" or "true" => true,
        "0" or "false" => false,
        var other => throw new ToolUsageException($"--{name} must be 1 or 0 (got '{other}')"),
    };

    /// <summary>Call after reading every option: an option given but never read is an error.</summary>
    public void RejectUnknown(string tool)
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new ToolUsageException($"{tool}: unknown option{(unknown.Length > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}

/// <summary>A wrong command line: the message is printed with the usage, and the tool exits with 2.</summary>
internal sealed class ToolUsageException(string message) : Exception(message);
