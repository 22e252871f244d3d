using ScratchNet.Plotting;

namespace ScratchNet.Tests.Plotting;

public class HtmlReportTests
{
    internal static HtmlReport SampleReport()
    {
        var frame = new RgbImage(40, 30, Palette.ClassRegion(0));
        frame.DrawText(2, 2, "ep 1", Rgb.Black);
        var gif = new AnimatedGifBuilder().AddFrame(frame).AddFrame(new RgbImage(40, 30, Palette.ClassRegion(1))).ToGif();
        return new HtmlReport("xor <2-4-1>") { Description = "A tiny network & its pictures." }
            .AddSetting("learning rate", 0.1)
            .AddSetting("optimizer", "Adam")
            .AddMetrics(1, ("loss", 0.6931), ("accuracy", 0.5))
            .AddMetrics(2, ("loss", 0.42), ("accuracy", 0.75), ("val_loss", 0.5))
            .AddText("Model", "Dense(2 -> 4) tanh\nDense(4 -> 1) sigmoid")
            .AddChart("Loss", ChartTests.LossChart())
            .AddChart("Fit", ChartTests.TvChart())
            .AddChart("Confusion", new ConfusionMatrixPlot(new int[2, 2] { { 5, 1 }, { 2, 4 } }))
            .AddImage("Boundary", frame)
            .AddGif("Animation", gif);
    }

    [Fact]
    public void Report_holds_settings_metrics_and_embedded_pictures()
    {
        string html = SampleReport().ToHtml();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>xor &lt;2-4-1&gt;</title>", html);
        Assert.Contains("<th scope=\"row\">learning rate</th><td>0.1</td>", html);
        Assert.Contains("<th>epoch</th><th>loss</th><th>accuracy</th><th>val_loss</th>", html);
        Assert.Contains("<tr><td>1</td><td>0.6931</td><td>0.5</td><td></td></tr>", html);
        Assert.Equal(3, CountOf(html, "<svg xmlns="));
        Assert.Contains("src=\"data:image/png;base64,", html);
        Assert.Contains("src=\"data:image/gif;base64,", html);
        Assert.DoesNotContain("src=\"file:", html);
        Assert.DoesNotContain(" id=", html);
    }

    [Fact]
    public void Report_is_deterministic_and_saved_atomically()
    {
        Assert.Equal(SampleReport().ToHtml(), SampleReport().ToHtml());
        string dir = Path.Combine(Path.GetTempPath(), $"scratchnet-report-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}");
        try
        {
            string path = SampleReport().Save(dir);
            Assert.Equal(Path.Combine(dir, "report.html"), path);
            Assert.Equal(SampleReport().ToHtml(), File.ReadAllText(path));
            Assert.Equal(["report.html"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Bad_pictures_are_rejected_with_clear_messages()
    {
        var report = new HtmlReport("r");
        Assert.Contains("not a valid image/png", Assert.Throws<ArgumentException>(() => report.AddPng("p", [1, 2, 3, 4, 5])).Message);
        Assert.Contains("no <svg> element", Assert.Throws<ArgumentException>(() => report.AddSvg("s", "<html/>")).Message);
        Assert.Contains("unsupported type '.bmp'", Assert.Throws<ArgumentException>(() =>
        {
            string f = Path.Combine(Path.GetTempPath(), $"scratchnet-{Environment.ProcessId}.bmp");
            File.WriteAllBytes(f, [0]);
            try { report.AddImageFile("b", f); } finally { File.Delete(f); }
        }).Message);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
