using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Playground;

/// <summary>
/// The playground in headless Debian chromium (Playwright, no downloaded browser), served by the CLI's
/// server: it loads without a console error, trains spirals to 90 % in the page, keeps its state in the
/// URL, trains on an uploaded CSV, exports a model that `scratchnet predict` agrees with, and reads a 7
/// drawn with the mouse. Skipped, saying why, without chromium.
/// </summary>
[Trait("Category", "Browser")]
public class PlaygroundBrowserTests(PlaygroundSiteFixture site, ITestOutputHelper output) : IClassFixture<PlaygroundSiteFixture>
{
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(60);

    /// <summary>Opens the page at <paramref name="relative"/> and waits until Blazor has drawn the controls.</summary>
    private async Task<IPage> Open(string relative, List<string> errors, string ready = "#epoch")
    {
        var page = await site.NewPage(errors);
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(site.Server!.Url + relative);
        await page.WaitForSelectorAsync(ready, new PageWaitForSelectorOptions { Timeout = (float)Load.TotalMilliseconds });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"'{relative}' ready in {clock.Elapsed.TotalSeconds:F1} s"));
        return page;
    }

    /// <summary>
    /// With SCRATCHNET_SCREENSHOTS set to a folder, the page as the test leaves it is saved there
    /// (docs/images/playground/ is made so: see docs/PLAYGROUND.md).
    /// </summary>
    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SCRATCHNET_SCREENSHOTS") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name), FullPage = true });
    }

    private static async Task<double> Value(IPage page, string selector)
    {
        string? text = await page.GetAttributeAsync(selector, "data-value");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
    }

    [ChromiumFact]
    public async Task Both_pages_load_with_no_console_error()
    {
        var errors = new List<string>();
        var page = await Open("", errors);
        await page.WaitForSelectorAsync("#thumb0");
        Assert.Equal("0", await page.InnerTextAsync("#epoch"));
        await page.ClickAsync("#step");
        await page.WaitForFunctionAsync("() => document.querySelector('#epoch').textContent === '1'");
        Assert.True(await page.Locator("canvas.thumb").CountAsync() == 2 + 16 + 16 + 3, "a thumbnail per input, hidden neuron and output");
        Assert.True(await page.Locator(".net line").CountAsync() == 2 * 16 + 16 * 16 + 16 * 3, "a link per weight");
        await page.HoverAsync("#thumb2");
        Assert.Contains("h1,1 = tanh(Σᵢ", await page.InnerTextAsync("#hover-info"));
        var digits = await Open("digits.html", errors, "#pad");
        await digits.WaitForSelectorAsync("#digit-status:has-text('Draw a digit')", new PageWaitForSelectorOptions { Timeout = (float)Load.TotalMilliseconds });
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Spirals_of_three_classes_reach_90_percent_test_accuracy_within_20_seconds()
    {
        var errors = new List<string>();
        var page = await Open("?data=spirals&classes=3", errors);
        var clock = Stopwatch.StartNew();
        await page.ClickAsync("#play");
        double accuracy = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && !(accuracy >= 0.9))
        {
            await page.WaitForTimeoutAsync(250);
            accuracy = await Value(page, "#test-accuracy");
        }
        double seconds = clock.Elapsed.TotalSeconds;
        await page.ClickAsync("#play");
        await page.HoverAsync("#thumb5");
        await Screenshot(page, "network.png");
        string epoch = await page.InnerTextAsync("#epoch");
        double stepsPerSecond = await Value(page, "#steps-per-second");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spirals, 3 classes: test accuracy {accuracy:P1} after {seconds:F1} s, epoch {epoch}, {stepsPerSecond:N0} steps/s in the page"));
        Assert.True(accuracy >= 0.9, $"test accuracy {accuracy:P1} after {seconds:F1} s of training (epoch {epoch})");
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task The_url_round_trips_the_state()
    {
        const string query = "data=gaussians&classes=4&noise=0.3&n=300&train=70&seed=5&f=x1,x2,x1%5E2&net=5:relu,3:sigmoid&dropout=0.1&l1=0.001&l2=0.01&opt=rmsprop&lr=0.03&batch=8&hide=features";
        var errors = new List<string>();
        var page = await Open("?" + query, errors);
        string share = (await page.GetAttributeAsync("#share", "href"))!;
        Assert.Equal("./?" + query, share);
        Assert.Equal("rmsprop", await page.InputValueAsync("#optimizer"));
        Assert.Equal(0, await page.Locator("#feature-x1").CountAsync()); // the features are hidden
        Assert.Equal(3 + 5 + 3 + 4, await page.Locator("canvas.thumb").CountAsync());

        // A change goes into the address bar, and the address gives it back.
        await page.ClickAsync("#data-xor");
        await page.WaitForFunctionAsync("() => location.search.includes('data=xor')");
        string url = page.Url;
        var again = await Open(url[site.Server!.Url.Length..], errors);
        Assert.Equal(url, site.Server.Url + (await again.GetAttributeAsync("#share", "href"))![2..]); // "./?..." after the site's address
        Assert.Equal("chosen", await again.GetAttributeAsync("#data-xor", "class"));
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task A_regression_set_shows_R2_and_RMSE_with_its_controls_hidden()
    {
        var errors = new List<string>();
        var page = await Open("?data=bump&noise=0.05&f=x1,x2,x1%5E2,x2%5E2&net=4:tanh&lr=0.03&hide=features,regularization", errors);
        Assert.Equal(0, await page.Locator("#feature-x1").CountAsync());
        Assert.Equal(0, await page.Locator("#l2").CountAsync());
        for (int i = 0; i < 40; i++) await page.ClickAsync("#step");
        await page.WaitForFunctionAsync("() => document.querySelector('#epoch').textContent === '40'");
        double r2 = await Value(page, "#r2"), rmse = await Value(page, "#rmse");
        await page.HoverAsync("#thumb4");
        await Screenshot(page, "regression.png");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bump: R² {r2:F3}, RMSE {rmse:F3} after 40 epochs"));
        Assert.True(r2 > 0.8, $"R² {r2} after 40 epochs on the bump");
        Assert.True(rmse > 0 && rmse < 0.3, $"RMSE {rmse}");
        Assert.Equal(0, await page.Locator("#confusion").CountAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task An_uploaded_csv_trains()
    {
        using var temp = new TempFolder();
        string csv = Path.Combine(temp.Path, "quadrants.csv");
        var rng = new Rng(3);
        var lines = new List<string> { "a,b,label" };
        for (int i = 0; i < 200; i++)
        {
            float a = rng.NextUniform(-5, 5), b = rng.NextUniform(-5, 5);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{a},{b},{(a * b > 0 ? 1 : 0)}"));
        }
        File.WriteAllLines(csv, lines);
        var errors = new List<string>();
        var page = await Open("?data=csv&f=x1,x2,x1*x2&net=4:tanh&lr=0.03", errors);
        await page.SetInputFilesAsync("#csv-file", csv);
        await page.WaitForSelectorAsync("#csv-status:has-text('200 points, 2 classes')");
        for (int i = 0; i < 30; i++) await page.ClickAsync("#step");
        await page.WaitForFunctionAsync("() => document.querySelector('#epoch').textContent === '30'");
        double accuracy = await Value(page, "#test-accuracy");
        Assert.True(accuracy >= 0.9, $"test accuracy {accuracy:P1} on the uploaded quadrants after 30 epochs");
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task The_exported_model_gives_the_pages_predictions_in_scratchnet_predict()
    {
        using var temp = new TempFolder();
        var errors = new List<string>();
        var page = await Open("?data=gaussians&classes=3&f=x1,x2,sin(x1)&n=200", errors);
        for (int i = 0; i < 5; i++) await page.ClickAsync("#step");
        await page.WaitForFunctionAsync("() => document.querySelector('#epoch').textContent === '5'");
        string model = Path.Combine(temp.Path, "model.safetensors"), data = Path.Combine(temp.Path, "playground-data.csv");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-model"));
        await download.SaveAsAsync(model);
        download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-data"));
        await download.SaveAsAsync(data);
        string command = await page.InnerTextAsync("#command-line");
        Assert.StartsWith("scratchnet train --dataset playground-data.csv --target label --features 'x1,x2,sin(x1)' --layers 16,16 --activation tanh", command);
        Assert.Contains("--epochs 5 --seed 1", command);

        using var json = JsonDocument.Parse(CliRunner.Ok("predict", "--model", model, "--input", data, "--json"));
        int[] cli = json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("class").GetInt32()).ToArray();
        var rows = File.ReadAllLines(data);
        Assert.Equal("x1,x2,sin(x1),label,set,predicted", rows[0]);
        int[] pageClasses = rows.Skip(1).Select(r => int.Parse(r.Split(',')[^1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(200, pageClasses.Length);
        Assert.Equal(pageClasses, cli);
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task A_seven_drawn_with_the_mouse_is_read_as_7()
    {
        var errors = new List<string>();
        var page = await Open("digits.html", errors, "#pad");
        await page.WaitForSelectorAsync("#digit-status:has-text('Draw a digit')", new PageWaitForSelectorOptions { Timeout = (float)Load.TotalMilliseconds });
        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        async Task Stroke(params (double X, double Y)[] points)
        {
            await page.Mouse.MoveAsync((float)(box.X + points[0].X), (float)(box.Y + points[0].Y));
            await page.Mouse.DownAsync();
            foreach (var (x, y) in points.Skip(1)) await page.Mouse.MoveAsync((float)(box.X + x), (float)(box.Y + y), new MouseMoveOptions { Steps = 12 });
            await page.Mouse.UpAsync();
        }
        await Stroke((80, 70), (200, 70), (130, 230)); // the bar, then the stem
        await page.WaitForFunctionAsync("() => document.querySelector('#prediction').dataset.value !== '-1'");
        await page.WaitForTimeoutAsync(300); // the last stroke's update
        string read = await page.InnerTextAsync("#prediction");
        double p7 = await Value(page, "#p7");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the drawn 7 is read as {read}, p(7) = {p7:P1}"));
        await Screenshot(page, "digits.png");
        Assert.Equal("7", read);
        Assert.Empty(errors);
    }

    /// <summary>A fact that is skipped, with the reason, when Debian's chromium is not installed.</summary>
    private sealed class ChromiumFactAttribute : FactAttribute
    {
        public ChromiumFactAttribute()
        {
            if (!File.Exists(PlaygroundSiteFixture.Chromium))
                Skip = $"{PlaygroundSiteFixture.Chromium} is missing: install Debian's chromium (apt-get install -y chromium) to run the playground's browser tests.";
        }
    }
}
