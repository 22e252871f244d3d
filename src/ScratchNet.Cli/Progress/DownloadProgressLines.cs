using System.Globalization;
using ScratchNet.Data;

namespace ScratchNet.Cli.Progress;

/// <summary>A dataset download's progress as plain lines: when a file starts, at each tenth of it, and when it ends.</summary>
public static class DownloadProgressLines
{
    /// <summary>An observer for <see cref="DatasetManagerOptions.OnDownloadProgress"/> that writes to <paramref name="output"/> (stderr: stdout stays for results).</summary>
    public static Action<DownloadProgress> To(TextWriter output)
    {
        string? url = null;
        int lastTenth = -1;
        return p =>
        {
            if (p.Url != url) { url = p.Url; lastTenth = -1; }
            // Unknown size: a line every 5 MB instead of every tenth.
            int tenth = p.Fraction is double f ? (int)(f * 10) : (int)(p.BytesReceived / (5 << 20));
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            string size = p.TotalBytes is long total
                ? string.Create(CultureInfo.InvariantCulture, $"{p.BytesReceived / 1e6:F1} of {total / 1e6:F1} MB ({p.Fraction:P0})")
                : string.Create(CultureInfo.InvariantCulture, $"{p.BytesReceived / 1e6:F1} MB");
            output.WriteLine($"{p.Dataset}: downloading {p.Url}: {size}");
        };
    }
}
