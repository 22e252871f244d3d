using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using ScratchNet.Serialization;
using Tensor = ScratchNet.Tensors.Tensor;

namespace ScratchNet.Tests.Serialization;

/// <summary>Runs an exported model in Microsoft.ML.OnnxRuntime (the checker of the exporter: a test dependency only).</summary>
internal sealed class OnnxRuntimeRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRuntimeRunner(byte[] model)
    {
        // One thread: the test suite runs in parallel on small machines.
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model, options);
    }

    /// <summary>The model's metadata_props.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <summary>The output for a batch (batch, sample shape...), as a tensor of the same layout ours has.</summary>
    public Tensor Run(Tensor input)
    {
        var dense = new DenseTensor(input.Span.ToArray(), input.ShapeArray());
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, dense)]);
        var output = Assert.Single(results);
        Assert.Equal(OnnxExporter.OutputName, output.Name);
        var t = output.AsTensor<float>();
        return Tensor.FromArray(t.ToArray(), t.Dimensions.ToArray());
    }

    public void Dispose() => _session.Dispose();

    /// <summary>The largest |a − b| over two tensors of the same shape.</summary>
    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(a.ShapeArray(), b.ShapeArray());
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs((double)a.Span[i] - b.Span[i]);
            if (double.IsNaN(d)) return double.PositiveInfinity;
            if (d > max) max = d;
        }
        return max;
    }
}
