using Microsoft.Playwright;

namespace ScratchNet.Tests.Plotting;

/// <summary>
/// Opens a generated report.html in Debian's headless chromium (through Playwright, no downloaded
/// browser) and checks that every picture really renders: each img has loaded with a non-zero natural
/// width, the inline SVGs are present with a size, and the page is not blank.
/// </summary>
[Trait("Category", "Browser")]
public class ReportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [ChromiumFact]
    public async Task Report_pictures_load_in_headless_chromium()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"scratchnet-browser-{Environment.ProcessId}");
        try
        {
            string path = HtmlReportTests.SampleReport().Save(dir);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
            await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            await page.WaitForFunctionAsync("() => Array.from(document.images).every(i => i.complete)");

            var images = await page.EvaluateAsync<ImageState[]>(
                "() => Array.from(document.images).map(i => ({ alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight }))");
            Assert.Equal(2, images.Length);
            Assert.All(images, i => Assert.True(i.complete && i.naturalWidth > 0 && i.naturalHeight > 0, $"image '{i.alt}' did not load"));

            var svgSizes = await page.EvaluateAsync<double[]>(
                "() => Array.from(document.querySelectorAll('figure > svg')).map(s => s.getBoundingClientRect().width * s.getBoundingClientRect().height)");
            Assert.Equal(3, svgSizes.Length);
            Assert.All(svgSizes, area => Assert.True(area > 1000, $"an inline svg has area {area}"));

            int textLength = await page.EvaluateAsync<int>("() => document.body.innerText.trim().length");
            Assert.True(textLength > 100, "the page looks blank");
            Assert.Equal("xor <2-4-1>", await page.TitleAsync());

            // Not blank as pixels either: the screenshot must contain many distinct colours.
            byte[] shot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });
            var decoded = PngTestDecoder.Decode(shot);
            int channels = decoded.ColorType == 6 ? 4 : 3;
            var colours = new HashSet<int>();
            for (int i = 0; i + 2 < decoded.Pixels.Length; i += channels * 7)
                colours.Add(decoded.Pixels[i] << 16 | decoded.Pixels[i + 1] << 8 | decoded.Pixels[i + 2]);
            Assert.True(colours.Count > 50, $"the screenshot has only {colours.Count} colours");
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    /// <summary>A fact that is skipped, with the reason, when Debian's chromium is not installed.</summary>
    private sealed class ChromiumFactAttribute : FactAttribute
    {
        public ChromiumFactAttribute()
        {
            if (!File.Exists(Chromium))
                Skip = $"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser check.";
        }
    }

    public sealed class ImageState
    {
        public string alt { get; set; } = "";
        public bool complete { get; set; }
        public int naturalWidth { get; set; }
        public int naturalHeight { get; set; }
    }
}
