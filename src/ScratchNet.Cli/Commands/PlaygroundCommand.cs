using System.CommandLine;
using System.Net;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Playground;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet playground [--port P]`: serves the playground (the library training in the browser) on the loopback address.</summary>
public static class PlaygroundCommand
{
    public static Command Create()
    {
        var port = Opt.Integer("--port", "The port on 127.0.0.1 (default 5173; 0 picks a free one).", min: 0, max: 65535);
        var site = Opt.Text("--site", "Serve this folder instead of the site the tool carries (a published playground's wwwroot).", "dir");
        var command = new Command("playground", "Serve the playground on http://127.0.0.1: train networks live in the browser (the real library in WebAssembly), draw digits for an MNIST model. Ctrl+C stops it.")
        {
            port, site,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string? root = parse.GetValue(site);
            if (root is not null && !File.Exists(Path.Combine(root, "index.html")))
                throw new CliError($"--site {root}: no index.html there (give the wwwroot folder of a published playground)", ExitCodes.InputError);
            root ??= PlaygroundSite.Locate()
                ?? throw new CliError($"the playground site is not here: neither {Path.Combine(AppContext.BaseDirectory, PlaygroundSite.ToolFolder)} nor a checkout's {PlaygroundSite.CheckoutFolder} (run 'dotnet publish src/ScratchNet.Playground -c Release -o DIR' and give --site DIR/wwwroot)", ExitCodes.InputError);
            using var shutdown = ShutdownSignal.Register();
            StaticSiteServer server;
            int wanted = parse.GetValue(port) ?? 5173;
            try { server = new StaticSiteServer(root, wanted); }
            catch (HttpListenerException e)
            {
                throw new CliError($"--port {wanted}: cannot listen on 127.0.0.1:{wanted} ({e.Message.TrimEnd('.')}); give another port, or --port 0 for a free one", ExitCodes.InputError);
            }
            using (server)
            {
                output.WriteLine($"The playground is at {server.Url} (serving {root}). Ctrl+C stops it.");
                output.Flush();
                shutdown.Token.WaitHandle.WaitOne();
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
