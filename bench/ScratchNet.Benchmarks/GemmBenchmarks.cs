using BenchmarkDotNet.Attributes;
using ScratchNet.Tensors;

namespace ScratchNet.Benchmarks;

[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(256, 512)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _a = new float[Size * Size]; _b = new float[Size * Size]; _c = new float[Size * Size];
        for (int i = 0; i < _a.Length; i++) { _a[i] = rng.NextFloat() - 0.5f; _b[i] = rng.NextFloat() - 0.5f; }
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size);
}
