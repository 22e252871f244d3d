using BenchmarkDotNet.Running;
using ScratchNet.Benchmarks.Tools;

// The tools below measure whole training steps and epochs, or regenerate the docs' pictures; any
// other command line goes to BenchmarkDotNet's micro-benchmarks of single kernels. Side-by-side
// comparisons with peers (OpenBLAS through numpy, PyTorch) are run by `scratchnet bench` and the
// scripts in bench/.
var tools = new Dictionary<string, (string Usage, Func<ToolOptions, int> Run)>
{
    ["profile-mlp"] = (MlpStepProfile.Usage, MlpStepProfile.Run),
    ["profile-cnn"] = (CnnLayerProfile.Usage, CnnLayerProfile.Run),
    ["cnn-epochs"] = (CnnEpochRun.Usage, CnnEpochRun.Run),
    ["docs-images"] = (DocsImagesCommand.Usage, DocsImagesCommand.Run),
};

if (args.Length > 0 && tools.TryGetValue(args[0], out var tool))
{
    try
    {
        return tool.Run(ToolOptions.Parse(args[0], args[1..]));
    }
    catch (ToolUsageException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        Console.Error.WriteLine($"usage: {tool.Usage}");
        return 2;
    }
}
if (args is ["--help" or "-h" or "help"])
{
    Console.WriteLine("ScratchNet.Benchmarks tools (dotnet run -c Release --project bench/ScratchNet.Benchmarks -- TOOL ...):");
    foreach (var (_, (usage, _)) in tools) Console.WriteLine("  " + usage.Replace("\n", "\n  "));
    Console.WriteLine("Anything else is passed to BenchmarkDotNet (e.g. --filter '*Gemm*').");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
