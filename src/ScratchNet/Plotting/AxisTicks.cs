using System.Globalization;

namespace ScratchNet.Plotting;

/// <summary>
/// "Nice" axis ticks: the step is 1, 2 or 5 times a power of ten, the smallest such step that puts at
/// most <c>maxCount</c> ticks in the range; ticks are the multiples of the step inside the range.
/// </summary>
internal static class AxisTicks
{
    public static double NiceStep(double min, double max, int maxCount)
    {
        double span = max - min;
        if (!(span > 0) || !double.IsFinite(span)) return 1;
        maxCount = Math.Max(2, maxCount);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(span / maxCount)));
        foreach (double m in (ReadOnlySpan<double>)[1, 2, 5, 10, 20])
        {
            double step = m * magnitude;
            if (Math.Floor(max / step + 1e-9) - Math.Ceiling(min / step - 1e-9) + 1 <= maxCount) return step;
        }
        return 20 * magnitude;
    }

    /// <summary>Multiples of the nice step inside [min, max].</summary>
    public static List<double> Linear(double min, double max, int maxCount, out double step)
    {
        step = NiceStep(min, max, maxCount);
        var ticks = new List<double>();
        long first = (long)Math.Ceiling(min / step - 1e-9), last = (long)Math.Floor(max / step + 1e-9);
        for (long k = first; k <= last && ticks.Count < 1000; k++)
        {
            double v = k * step;
            ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        }
        return ticks;
    }

    /// <summary>
    /// Log-scale ticks: powers of ten inside [min, max]; when the range spans less than two decades,
    /// also 2 and 5 times the powers. <paramref name="minor"/> gets 2..9 times each power (grid only).
    /// </summary>
    public static List<double> Log(double min, double max, out List<double> minor)
    {
        var major = new List<double>();
        minor = [];
        int lo = (int)Math.Floor(Math.Log10(min)), hi = (int)Math.Ceiling(Math.Log10(max));
        bool dense = Math.Log10(max / min) < 2;
        for (int e = lo; e <= hi; e++)
        {
            double p = Math.Pow(10, e);
            for (int m = 1; m <= 9; m++)
            {
                double v = m * p;
                if (v < min * (1 - 1e-9) || v > max * (1 + 1e-9)) continue;
                if (m == 1 || (dense && (m == 2 || m == 5))) major.Add(v);
                else minor.Add(v);
            }
        }
        return major;
    }

    /// <summary>A tick label: enough decimals to tell ticks <paramref name="step"/> apart, exponent form when very large or small.</summary>
    public static string Format(double value, double step)
    {
        if (value == 0) return "0";
        double abs = Math.Abs(value);
        if (abs >= 1e6 || abs < 1e-4)
            return value.ToString("0.##e+0", CultureInfo.InvariantCulture);
        int decimals = step > 0 ? Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 10) : 2;
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A label for a log-axis tick: plain decimals from 0.001 to 100 000, exponent form outside.</summary>
    public static string FormatLog(double value)
    {
        double abs = Math.Abs(value);
        if (abs >= 1e-3 && abs < 1e6)
            return value.ToString("0.######", CultureInfo.InvariantCulture);
        return value.ToString("0.#e+0", CultureInfo.InvariantCulture);
    }
}
