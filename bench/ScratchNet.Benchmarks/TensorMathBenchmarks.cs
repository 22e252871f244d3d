using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ScratchNet.Tensors;

namespace ScratchNet.Benchmarks;

/// <summary>
/// TensorMath kernels, the fast path against its scalar specification (the baseline of each
/// category, so the Ratio column is the speed-up). Shapes: a small classifier batch (64 x 10
/// logits) and a wide hidden layer (256 x 1024).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TensorMathBenchmarks
{
    private Tensor _x = null!, _y = null!, _out = null!, _transposed = null!;
    private float[] _sums = [];

    [Params("64x10", "256x1024")]
    public string Shape { get; set; } = "64x10";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        int rows = int.Parse(parts[0]), cols = int.Parse(parts[1]);
        var rng = new Rng(1);
        _x = new Tensor(rows, cols); _y = new Tensor(rows, cols); _out = new Tensor(rows, cols);
        _transposed = new Tensor(cols, rows);
        _sums = new float[rows];
        foreach (ref float v in _x.Span) v = rng.NextUniform(-4, 4);
        foreach (ref float v in _y.Span) v = rng.NextUniform(-4, 4);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Add")]
    public void AddScalar() => TensorMath.AddScalar(_x.Span, _y.Span, _out.Span);

    [Benchmark, BenchmarkCategory("Add")]
    public void Add() => TensorMath.Add(_x.Span, _y.Span, _out.Span);

    [Benchmark(Baseline = true), BenchmarkCategory("SoftmaxRows")]
    public void SoftmaxRowsScalar() => TensorMath.SoftmaxRowsScalar(_x, _out);

    [Benchmark, BenchmarkCategory("SoftmaxRows")]
    public void SoftmaxRows() => TensorMath.SoftmaxRows(_x, _out);

    [Benchmark(Baseline = true), BenchmarkCategory("LogSoftmaxRows")]
    public void LogSoftmaxRowsScalar() => TensorMath.LogSoftmaxRowsScalar(_x, _out);

    [Benchmark, BenchmarkCategory("LogSoftmaxRows")]
    public void LogSoftmaxRows() => TensorMath.LogSoftmaxRows(_x, _out);

    [Benchmark(Baseline = true), BenchmarkCategory("SumOverColumns")]
    public void SumOverColumnsScalar() => TensorMath.SumOverColumnsScalar(_x, _sums);

    [Benchmark, BenchmarkCategory("SumOverColumns")]
    public void SumOverColumns() => TensorMath.SumOverColumns(_x, _sums);

    [Benchmark(Baseline = true), BenchmarkCategory("Transpose")]
    public void TransposeScalar() => TensorMath.TransposeScalar(_x, _transposed);

    [Benchmark, BenchmarkCategory("Transpose")]
    public void Transpose() => TensorMath.Transpose(_x, _transposed);
}
