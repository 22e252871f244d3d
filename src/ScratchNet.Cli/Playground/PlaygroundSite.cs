namespace ScratchNet.Cli.Playground;

/// <summary>Where the published playground site is: in the installed tool, beside the program; in a checkout, where the build publishes it.</summary>
public static class PlaygroundSite
{
    /// <summary>The site's folder in the tool package, beside the program (the CLI's publish copies it there).</summary>
    public const string ToolFolder = "playground";

    /// <summary>Where a checkout's build publishes the site (ScratchNet.Cli.csproj, target PublishPlaygroundSite), relative to the repository.</summary>
    public const string CheckoutFolder = "src/ScratchNet.Playground/bin/site/wwwroot";

    /// <summary>The folder holding the site's index.html: beside the program, else in the checkout above it; null when neither has it.</summary>
    public static string? Locate()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, ToolFolder);
        if (File.Exists(Path.Combine(beside, "index.html"))) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, CheckoutFolder);
            if (File.Exists(Path.Combine(candidate, "index.html"))) return candidate;
        }
        return null;
    }
}
