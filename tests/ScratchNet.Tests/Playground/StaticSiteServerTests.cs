using ScratchNet.Cli.Playground;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Playground;

public class StaticSiteServerTests
{
    [Theory]
    [InlineData(".wasm", "application/wasm")]
    [InlineData(".dll", "application/octet-stream")]
    [InlineData(".dat", "application/octet-stream")]
    [InlineData(".js", "text/javascript; charset=utf-8")]
    [InlineData(".json", "application/json; charset=utf-8")]
    [InlineData(".html", "text/html; charset=utf-8")]
    [InlineData(".css", "text/css; charset=utf-8")]
    public void Mime_types_are_the_ones_a_Blazor_site_needs(string extension, string type) =>
        Assert.Equal(type, StaticSiteServer.MimeType(extension));

    [Fact]
    public void Paths_resolve_inside_the_folder_only_and_routes_get_index_html()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "index.html"), "<html></html>");
        Directory.CreateDirectory(Path.Combine(temp.Path, "js"));
        File.WriteAllText(Path.Combine(temp.Path, "js", "a.js"), "");
        string index = Path.Combine(temp.Path, "index.html");
        Assert.Equal(index, StaticSiteServer.Resolve(temp.Path, "/"));
        Assert.Equal(Path.Combine(temp.Path, "js", "a.js"), StaticSiteServer.Resolve(temp.Path, "/js/a.js"));
        Assert.Equal(index, StaticSiteServer.Resolve(temp.Path, "/digits"));
        Assert.Null(StaticSiteServer.Resolve(temp.Path, "/missing.js"));
        Assert.Null(StaticSiteServer.Resolve(temp.Path, "/../secret.txt"));
        Assert.Null(StaticSiteServer.Resolve(temp.Path, "/js/%2e%2e/%2e%2e/etc/passwd"));
        Assert.Null(StaticSiteServer.Resolve(temp.Path, "/..%5c..%5cwin.ini"));
    }

    [Fact]
    public async Task The_server_sends_files_with_their_types_on_the_loopback_address()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "index.html"), "<html>hello</html>");
        File.WriteAllBytes(Path.Combine(temp.Path, "a.wasm"), [0, 97, 115, 109]);
        using var server = new StaticSiteServer(temp.Path, 0);
        Assert.StartsWith("http://127.0.0.1:", server.Url);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var wasm = await http.GetAsync("a.wasm");
        Assert.Equal("application/wasm", wasm.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new byte[] { 0, 97, 115, 109 }, await wasm.Content.ReadAsByteArrayAsync());
        Assert.Equal("<html>hello</html>", await http.GetStringAsync("digits"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("nothing.js")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, (await http.PostAsync("index.html", new StringContent(""))).StatusCode);
    }

    [Fact]
    public void The_playground_command_refuses_a_folder_without_a_site_in_one_line()
    {
        using var temp = new TempFolder();
        var (code, _, error) = ScratchNet.Tests.Cli.CliRunner.Run("playground", "--site", temp.Path);
        Assert.Equal(2, code);
        Assert.Contains("no index.html there", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
