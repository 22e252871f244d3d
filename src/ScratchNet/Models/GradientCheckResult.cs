using System.Globalization;
using System.Text;

namespace ScratchNet.Models;

/// <summary>The outcome of <see cref="GradientCheck.Run"/>: one entry per parameter tensor, and the input.</summary>
public sealed class GradientCheckResult(IReadOnlyList<GradientCheckEntry> entries, double tolerance)
{
    /// <summary>One entry per checked tensor, parameters in model order, then the input.</summary>
    public IReadOnlyList<GradientCheckEntry> Entries { get; } = entries;

    /// <summary>The tolerance the check used.</summary>
    public double Tolerance { get; } = tolerance;

    /// <summary>The largest relative error over all tensors.</summary>
    public double MaxRelativeError => Entries.Count == 0 ? 0 : Entries.Max(e => e.MaxRelativeError);

    /// <summary>Whether every tensor's relative error is within <see cref="Tolerance"/>.</summary>
    public bool Passed => Entries.All(e => e.MaxRelativeError <= Tolerance);

    /// <summary>The entry named <paramref name="name"/> ("0.Dense.weight", "input").</summary>
    public GradientCheckEntry this[string name] =>
        Entries.FirstOrDefault(e => e.Name == name) ?? throw new KeyNotFoundException($"No gradient check entry '{name}'. Entries: {string.Join(", ", Entries.Select(e => e.Name))}.");

    /// <summary>A table: tensor, entries checked, max relative and absolute error, worst analytic vs numeric, verdict.</summary>
    public string Report()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(ci, $"{"Tensor",-28} {"Checked",14} {"Kinks",6} {"Max rel err",12} {"Max abs err",12} {"Analytic",12} {"Numeric",12}  Verdict"));
        foreach (var e in Entries)
            sb.AppendLine(string.Create(ci, $"{e.Name,-28} {$"{e.Checked}/{e.Total}",14} {e.SkippedAtKinks,6} {e.MaxRelativeError,12:E2} {e.MaxAbsoluteError,12:E2} {e.Analytic,12:G5} {e.Numeric,12:G5}  {(e.MaxRelativeError <= Tolerance ? "ok" : "FAIL")}"));
        sb.AppendLine(string.Create(ci, $"{(Passed ? "PASSED" : "FAILED")}: max relative error {MaxRelativeError:E2} (tolerance {Tolerance:E1})"));
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Report();
}
