using Microsoft.Playwright;
using ScratchNet.Cli.Playground;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Playground;

/// <summary>
/// The published playground (the tests' build publishes it: PublishPlaygroundForBrowserTests) served by
/// the CLI's own server, and one headless Debian chromium for all the browser tests of a class.
/// </summary>
public sealed class PlaygroundSiteFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowserContext? _context;

    public StaticSiteServer? Server { get; private set; }
    public IBrowser? Browser { get; private set; }

    /// <summary>The site's folder in this checkout.</summary>
    public static string SiteFolder => Path.Combine(Path.GetDirectoryName(TempFolder.RepoData)!, PlaygroundSite.CheckoutFolder);

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium)) return;
        Assert.True(File.Exists(Path.Combine(SiteFolder, "index.html")), $"{SiteFolder}/index.html is missing: the tests' build publishes the playground (target PublishPlaygroundForBrowserTests)");
        Server = new StaticSiteServer(SiteFolder, 0);
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
        // One context for all the pages: its HTTP cache keeps the runtime's files after the first load.
        _context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 }, AcceptDownloads = true });
    }

    /// <summary>A new page (1300 x 900, downloads allowed) that records console errors and uncaught exceptions into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPage(List<string> errors)
    {
        var page = await _context!.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add("console: " + m.Text); };
        page.PageError += (_, e) => { lock (errors) errors.Add("page error: " + e); };
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        Server?.Dispose();
    }
}
