using BenchmarkDotNet.Running;

// BenchmarkDotNet micro-benchmarks of single kernels. Side-by-side comparisons with peers
// (OpenBLAS through numpy, PyTorch) are run by `scratchnet bench` and the scripts in bench/.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
