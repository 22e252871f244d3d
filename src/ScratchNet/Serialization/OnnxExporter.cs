using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.IO;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Serialization;

/// <summary>
/// Writes a built <see cref="Sequential"/> as an ONNX model (IR version 7, operator set 13) that
/// computes what <see cref="Sequential.Forward"/> computes at inference, for a float32 input named
/// "input" of shape (batch, input shape...) and an output named "output". The weights are stored
/// in the file; the preprocessing the model expects (standardisation, pixel scaling), the class
/// names and what the output means are stated in metadata_props (see <see cref="MetadataProps"/>).
/// docs/ONNX.md lists what each layer becomes.
/// </summary>
/// <remarks>
/// Each layer becomes the ONNX operators of the same formula: Dense y = x W + b is Gemm (MatMul
/// without bias), Conv2D is Conv with the same pads and strides, BatchNorm and BatchNorm2D are
/// BatchNormalization with the running statistics, GELU is x · (1 + erf(x / √2)) / 2 from Erf,
/// Dropout and RandomShift2D (identities at inference) are Identity. A layer with no equivalent
/// (one registered from outside the library) is refused with <see cref="OnnxExportException"/>
/// before anything is written.
/// </remarks>
/// <example>
/// <code>
/// var (model, meta) = ModelFile.Load("runs/mnist-mlp/model.safetensors");
/// OnnxExporter.Export("mnist-mlp.onnx", model, meta);
/// </code>
/// </example>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written (7: the first with every message used here, read by every current runtime).</summary>
    public const long IrVersion = 7;

    /// <summary>The version of the standard operator set the graph uses.</summary>
    public const long Opset = 13;

    /// <summary>The graph's input name.</summary>
    public const string InputName = "input";

    /// <summary>The graph's output name.</summary>
    public const string OutputName = "output";

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX equivalent, or the model is not built.</exception>
    public static void Export(string path, Sequential model, ModelMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = ToBytes(model, metadata);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes the model to <paramref name="stream"/>; nothing is written when it cannot be exported.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX equivalent, or the model is not built.</exception>
    public static void Export(Stream stream, Sequential model, ModelMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(model, metadata));
    }

    /// <summary>The ONNX file's bytes.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX equivalent, or the model is not built.</exception>
    public static byte[] ToBytes(Sequential model, ModelMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsBuilt) throw new OnnxExportException("the model is not built: call Build (or load it from a file) before exporting");
        var graph = new OnnxGraph();
        string x = InputName;
        int[] shape = model.InputShape;
        // A standardised regression target is restored inside the graph, so the output is in the target's units.
        var target = metadata?.Encoding?.Target;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            string output = i == model.Layers.Count - 1 && target is null ? OutputName : $"layers.{i}.output";
            x = AddLayer(graph, layer, $"layers.{i}", x, shape, output)
                ?? throw new OnnxExportException($"layer {i} ({TextExcerpt.Of(layer.Spec.ToString(), 80)}) has no ONNX equivalent: the model cannot be exported");
            shape = layer.OutputShape(shape);
        }
        if (target is not null)
        {
            string scaled = graph.Node("Mul", "target.scale", [x, graph.Initializer("target.scale", [1], [(float)target.Scale])], "target.scaled");
            graph.Node("Add", "target.mean", [scaled, graph.Initializer("target.mean", [1], [(float)target.Mean])], OutputName);
        }
        else if (model.Layers.Count == 0) graph.Node("Identity", "identity", [x], OutputName);
        using var ms = new MemoryStream();
        string version = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0";
        graph.WriteModel(ms, IrVersion, Opset, version, "A ScratchNet model; metadata_props say how to prepare its input and read its output.",
            InputName, model.InputShape, OutputName, model.OutputShape, MetadataProps(model, metadata));
        return ms.ToArray();
    }

    /// <summary>
    /// The metadata_props written: <c>input_shape</c> (JSON, per sample), <c>input_layout</c>,
    /// <c>preprocessing</c> (in words), <c>output</c> (what the output values are: logits,
    /// probabilities or predicted values), and when known <c>task</c>, <c>dataset</c>,
    /// <c>class_names</c> and <c>feature_names</c> (JSON arrays in output and input order), for a table
    /// model <c>input_names</c> and <c>table_encoding</c> (one-hot categories and fill values), <c>target</c>,
    /// <c>standardize_mode</c>, <c>standardize_shift</c> and <c>standardize_scale</c> (JSON arrays:
    /// z = (x − shift) / scale per feature, to apply before the model), <c>architecture</c> (the
    /// ScratchNet layer specs), and the model file's other entries (loss, epochs, accuracy...).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> MetadataProps(Sequential model, ModelMetadata? metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        var meta = (metadata ?? new ModelMetadata()).WithArchitectureOf(model);
        var props = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value) { if (value != null) props.Add(new(key, value)); }
        bool images = model.InputShape.Length == 3;
        Add("input_shape", JsonSerializer.Serialize(model.InputShape));
        Add("input_layout", images
            ? "NCHW: (batch, channels, height, width), float32"
            : $"(batch, {model.InputShape.Length switch { 1 => "features", _ => string.Join(", ", model.InputShape.Select(d => d.ToString(CultureInfo.InvariantCulture))) }}), float32");
        Add("preprocessing", Preprocessing(meta, images));
        Add("output", OutputMeaning(model, meta));
        Add("task", meta.Task);
        Add("dataset", meta.Dataset);
        if (meta.ClassNames.Count > 0) Add("class_names", JsonSerializer.Serialize(meta.ClassNames));
        if (meta.FeatureNames.Count > 0) Add("feature_names", JsonSerializer.Serialize(meta.FeatureNames));
        if (meta.Encoding is { } encoding)
        {
            Add("input_names", JsonSerializer.Serialize(encoding.InputNames));
            Add("table_encoding", encoding.ToJson());
        }
        Add("target", meta.Target);
        if (meta.Standardizer is { } st)
        {
            Add("standardize_mode", Standardizer.ModeName(st.Mode));
            Add("standardize_shift", JsonSerializer.Serialize(st.Shift));
            Add("standardize_scale", JsonSerializer.Serialize(st.Scale));
        }
        Add("architecture", meta.ArchitectureJson());
        foreach (var (k, v) in meta.Extra.OrderBy(e => e.Key, StringComparer.Ordinal))
            if (!props.Any(p => p.Key == k)) Add(k, v);
        return props;
    }

    private static string Preprocessing(ModelMetadata meta, bool images)
    {
        string? scaling = meta.Standardizer is { } st
            ? $"z = (x - standardize_shift) / standardize_scale for each of the {st.FeatureCount} input values ({Standardizer.ModeName(st.Mode)})"
            : null;
        string then = scaling is null ? "" : "; then " + scaling;
        if (meta.Dataset is { } name && DatasetCatalog.Find(name) is { Kind: DatasetKind.Images })
        {
            string layout = images ? "" : ", the image flattened row by row";
            return $"pixels as float32 byte / 255 in [0, 1] ({name}: light figure on a dark background, 0 = black){layout}{then}";
        }
        if (images) return $"pixel values as float32 (ScratchNet feeds byte / 255 in [0, 1]){then}";
        if (meta.Encoding is { } encoding)
        {
            var logs = encoding.Columns.Where(c => c.Log1p).Select(c => c.Name).ToArray();
            string log = logs.Length == 0 ? "" : $", a column marked log1p ({string.Join(", ", logs)}) becomes log(1 + x) of its value (x ≥ 0; the fill is already a log)";
            return $"the table's columns (feature_names) encoded as table_encoding says: a missing cell takes its column's stored fill value, a text column becomes one 0/1 input per category{log}, giving the {encoding.Width} inputs of input_names{then}";
        }
        return scaling ?? "none: the features as they are, as float32";
    }

    private static string OutputMeaning(Sequential model, ModelMetadata meta)
    {
        int outputs = model.OutputShape.Aggregate(1, (a, b) => a * b);
        var last = model.Layers.Count > 0 ? model.Layers[^1] : null;
        bool classifies = meta.Task is "classification" || (meta.Task is null && outputs > 1);
        if (!classifies)
            return meta.Encoding?.Target is { } t
                ? $"predicted values in the target's units (the graph restores the standardised output: y = z * {t.Scale.ToString("R", CultureInfo.InvariantCulture)} + {t.Mean.ToString("R", CultureInfo.InvariantCulture)})"
                : "predicted values, one per output unit";
        return last switch
        {
            Softmax => "class probabilities (the model ends in Softmax), in class_names order",
            Sigmoid when outputs == 1 => "the probability of class 1 (the model ends in Sigmoid)",
            _ when outputs == 1 => "the logit of class 1: sigmoid(output) is its probability",
            _ => "class logits, in class_names order: softmax(output) gives the probabilities, argmax the class",
        };
    }

    /// <summary>Adds the nodes of one layer reading <paramref name="x"/>; returns <paramref name="output"/>, or null when the layer has no ONNX form.</summary>
    private static string? AddLayer(OnnxGraph g, Layer layer, string prefix, string x, int[] shape, string output)
    {
        switch (layer)
        {
            case Dense d when shape.Length > 1:
            {
                // Gemm takes matrices only; MatMul multiplies the last axis of (batch, ..., inputs) by W.
                string product = g.Node("MatMul", $"{prefix}.matmul", [x, Weights(g, $"{prefix}.weight", d.Weight.Value)], d.Bias is null ? output : $"{prefix}.product");
                return d.Bias is { } b ? g.Node("Add", $"{prefix}.add", [product, Weights(g, $"{prefix}.bias", b.Value)], output) : product;
            }
            case Dense d:
            {
                string w = Weights(g, $"{prefix}.weight", d.Weight.Value);
                if (d.Bias is { } b)
                    return g.Node("Gemm", $"{prefix}.gemm", [x, w, Weights(g, $"{prefix}.bias", b.Value)], output);
                return g.Node("MatMul", $"{prefix}.matmul", [x, w], output);
            }
            case Conv2D c:
            {
                var inputs = new List<string> { x, Weights(g, $"{prefix}.weight", c.Weight.Value) };
                if (c.Bias is { } b) inputs.Add(Weights(g, $"{prefix}.bias", b.Value));
                return g.Node("Conv", $"{prefix}.conv", [.. inputs], output,
                    OnnxAttribute.Of("kernel_shape", c.KernelSize, c.KernelSize),
                    OnnxAttribute.Of("strides", c.Stride, c.Stride),
                    OnnxAttribute.Of("pads", c.Padding, c.Padding, c.Padding, c.Padding));
            }
            case MaxPool2D p:
                return g.Node("MaxPool", $"{prefix}.maxpool", [x], output,
                    OnnxAttribute.Of("kernel_shape", p.Size, p.Size), OnnxAttribute.Of("strides", p.Stride, p.Stride));
            case AvgPool2D p:
                return g.Node("AveragePool", $"{prefix}.averagepool", [x], output,
                    OnnxAttribute.Of("kernel_shape", p.Size, p.Size), OnnxAttribute.Of("strides", p.Stride, p.Stride));
            case GlobalAveragePool:
            {
                // ONNX keeps the pooled axes as (N, C, 1, 1); ours gives (N, C).
                string pooled = g.Node("GlobalAveragePool", $"{prefix}.globalaveragepool", [x], $"{prefix}.pooled");
                return g.Node("Flatten", $"{prefix}.flatten", [pooled], output, OnnxAttribute.Of("axis", 1L));
            }
            case BatchNorm2D bn:
                return BatchNormalization(g, prefix, x, output, bn.Gamma.Value, bn.Beta.Value, bn.RunningMean, bn.RunningVariance, bn.Epsilon);
            case BatchNorm bn:
            {
                // Ours normalises every value of a sample as its own feature; ONNX normalises axis 1.
                if (shape.Length == 1)
                    return BatchNormalization(g, prefix, x, output, bn.Gamma.Value, bn.Beta.Value, bn.RunningMean, bn.RunningVariance, bn.Epsilon);
                string flat = g.Node("Flatten", $"{prefix}.flatten", [x], $"{prefix}.flat", OnnxAttribute.Of("axis", 1L));
                string normalized = BatchNormalization(g, prefix, flat, $"{prefix}.normalized", bn.Gamma.Value, bn.Beta.Value, bn.RunningMean, bn.RunningVariance, bn.Epsilon);
                return Unflatten(g, prefix, normalized, shape, output);
            }
            case GaussianSample s:
                // At inference the sample is its mean: z = μ, the first D values of each row.
                return g.Node("Slice", $"{prefix}.mean", [x, g.Int64Initializer($"{prefix}.start", [0]), g.Int64Initializer($"{prefix}.end", [s.Latent]),
                    g.Int64Initializer($"{prefix}.axis", [1])], output);
            case Flatten:
                return g.Node("Flatten", $"{prefix}.flatten", [x], output, OnnxAttribute.Of("axis", 1L));
            case Dropout or RandomShift2D or Identity:
                return g.Node("Identity", $"{prefix}.identity", [x], output);
            case ReLU:
                return g.Node("Relu", $"{prefix}.relu", [x], output);
            case Tanh:
                return g.Node("Tanh", $"{prefix}.tanh", [x], output);
            case Sigmoid:
                return g.Node("Sigmoid", $"{prefix}.sigmoid", [x], output);
            case LeakyReLU l:
                return g.Node("LeakyRelu", $"{prefix}.leakyrelu", [x], output, OnnxAttribute.Of("alpha", l.Alpha));
            case ELU e:
                return g.Node("Elu", $"{prefix}.elu", [x], output, OnnxAttribute.Of("alpha", e.Alpha));
            case GELU:
            {
                // y = x · Φ(x) = x · (1 + erf(x / √2)) / 2, the exact form our GELU computes.
                string sqrt2 = g.Initializer($"{prefix}.sqrt2", [], [MathF.Sqrt(2f)]);
                string one = g.Initializer($"{prefix}.one", [], [1f]);
                string half = g.Initializer($"{prefix}.half", [], [0.5f]);
                string scaled = g.Node("Div", $"{prefix}.div", [x, sqrt2], $"{prefix}.scaled");
                string erf = g.Node("Erf", $"{prefix}.erf", [scaled], $"{prefix}.erf");
                string shifted = g.Node("Add", $"{prefix}.add", [erf, one], $"{prefix}.shifted");
                string cdf = g.Node("Mul", $"{prefix}.cdf", [shifted, half], $"{prefix}.cdf");
                return g.Node("Mul", $"{prefix}.mul", [x, cdf], output);
            }
            case Step:
            {
                // y = 1 for x > 0, else 0 (NaN included): the comparison, then the boolean as a float (Cast to FLOAT = 1).
                string zero = g.Initializer($"{prefix}.zero", [], [0f]);
                string positive = g.Node("Greater", $"{prefix}.greater", [x, zero], $"{prefix}.positive");
                return g.Node("Cast", $"{prefix}.cast", [positive], output, OnnxAttribute.Of("to", 1L));
            }
            case Softmax:
            {
                // Ours takes the softmax over all values of a sample; Softmax-13 over one axis.
                if (shape.Length == 1) return g.Node("Softmax", $"{prefix}.softmax", [x], output, OnnxAttribute.Of("axis", 1L));
                string flat = g.Node("Flatten", $"{prefix}.flatten", [x], $"{prefix}.flat", OnnxAttribute.Of("axis", 1L));
                string soft = g.Node("Softmax", $"{prefix}.softmax", [flat], $"{prefix}.softmax", OnnxAttribute.Of("axis", 1L));
                return Unflatten(g, prefix, soft, shape, output);
            }
            case SiLU:
            {
                string sigmoid = g.Node("Sigmoid", $"{prefix}.sigmoid", [x], $"{prefix}.sigmoid");
                return g.Node("Mul", $"{prefix}.mul", [x, sigmoid], output);
            }
            case Softplus:
                return g.Node("Softplus", $"{prefix}.softplus", [x], output);
            case Embedding e:
            {
                // The ids arrive as float32; Gather wants integers (Cast to INT64 = 7).
                string ids = g.Node("Cast", $"{prefix}.cast", [x], $"{prefix}.ids", OnnxAttribute.Of("to", 7L));
                return g.Node("Gather", $"{prefix}.gather", [Weights(g, $"{prefix}.weight", e.Weight.Value), ids], output, OnnxAttribute.Of("axis", 0L));
            }
            case PositionalEmbedding p:
            {
                // Only the first T rows of the table are used; T is fixed by the model's input shape.
                int used = shape[0] * shape[1];
                string rows = g.Initializer($"{prefix}.weight", [shape[0], shape[1]], p.Table.Value.Span[..used]);
                return g.Node("Add", $"{prefix}.add", [x, rows], output);
            }
            case CausalWindow w:
            {
                // Position t's k-th block is x[t − k]: the product S_k x with the T × T shift S_k[t, t − k] = 1 (exact: one
                // term times 1, the rest zeros), for each k, then the K blocks side by side on the last axis.
                int t = shape[0];
                var blocks = new string[w.Size];
                var shift = new float[t * t];
                for (int k = 0; k < w.Size; k++)
                {
                    Array.Clear(shift);
                    for (int i = k; i < t; i++) shift[i * t + i - k] = 1;
                    string s = g.Initializer($"{prefix}.shift{k}", [t, t], shift);
                    blocks[k] = g.Node("MatMul", $"{prefix}.shifted{k}", [s, x], $"{prefix}.shifted{k}.output");
                }
                return g.Node("Concat", $"{prefix}.concat", blocks, output, OnnxAttribute.Of("axis", -1L));
            }
            case LayerNorm ln:
                return LayerNormalization(g, prefix, x, output, ln);
            case CausalSelfAttention a:
                return Attention(g, prefix, x, output, a, shape);
            case TransformerBlock block:
            {
                string n1 = LayerNormalization(g, $"{prefix}.ln1", x, $"{prefix}.ln1.output", block.AttentionNorm);
                string a = Attention(g, $"{prefix}.attn", n1, $"{prefix}.attn.output", block.Attention, shape);
                string h = g.Node("Add", $"{prefix}.residual1", [x, a], $"{prefix}.h");
                string n2 = LayerNormalization(g, $"{prefix}.ln2", h, $"{prefix}.ln2.output", block.MlpNorm);
                int[] wide = block.MlpHidden.OutputShape(shape);
                string fc = AddLayer(g, block.MlpHidden, $"{prefix}.mlp.fc", n2, shape, $"{prefix}.mlp.fc.output")!;
                string gelu = AddLayer(g, new GELU(), $"{prefix}.mlp.gelu", fc, wide, $"{prefix}.mlp.gelu.output")!;
                string m = AddLayer(g, block.MlpOutput, $"{prefix}.mlp.proj", gelu, wide, $"{prefix}.mlp.proj.output")!;
                return g.Node("Add", $"{prefix}.residual2", [h, m], output);
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// LayerNormalization arrived in operator set 17; in 13 it is written out over the last axis:
    /// d = x − ReduceMean(x), y = γ d / √(ReduceMean(d²) + ε) + β.
    /// </summary>
    private static string LayerNormalization(OnnxGraph g, string prefix, string x, string output, LayerNorm ln)
    {
        var lastAxis = OnnxAttribute.Of("axes", new long[] { -1 });
        string mean = g.Node("ReduceMean", $"{prefix}.mean", [x], $"{prefix}.mean", lastAxis, OnnxAttribute.Of("keepdims", 1L));
        string centered = g.Node("Sub", $"{prefix}.sub", [x, mean], $"{prefix}.centered");
        string squares = g.Node("Mul", $"{prefix}.square", [centered, centered], $"{prefix}.squares");
        string variance = g.Node("ReduceMean", $"{prefix}.variance", [squares], $"{prefix}.variance", lastAxis, OnnxAttribute.Of("keepdims", 1L));
        string guarded = g.Node("Add", $"{prefix}.epsilon", [variance, g.Initializer($"{prefix}.eps", [], [ln.Epsilon])], $"{prefix}.guarded");
        string std = g.Node("Sqrt", $"{prefix}.sqrt", [guarded], $"{prefix}.std");
        string normalized = g.Node("Div", $"{prefix}.div", [centered, std], $"{prefix}.normalized");
        string scaled = g.Node("Mul", $"{prefix}.gain", [normalized, Weights(g, $"{prefix}.gamma", ln.Gamma.Value)], $"{prefix}.scaled");
        return g.Node("Add", $"{prefix}.bias", [scaled, Weights(g, $"{prefix}.beta", ln.Beta.Value)], output);
    }

    /// <summary>
    /// Causal self-attention as MatMul, Slice, Reshape and Transpose: Q, K, V (batch, H, T, D) from the QKV
    /// projection; P = Softmax(Q Kᵀ/√D + M) with M[i, j] = −∞ for j &gt; i, 0 otherwise; Z = P V back to
    /// (batch, T, C); the output projection.
    /// </summary>
    private static string Attention(OnnxGraph g, string prefix, string x, string output, CausalSelfAttention a, int[] shape)
    {
        int t = shape[0], c = shape[1], heads = a.Heads, d = c / heads;
        string qkv = AddLayer(g, a.QkvProjection, $"{prefix}.qkv", x, shape, $"{prefix}.qkv.output")!;
        string split = g.Int64Initializer($"{prefix}.heads.shape", [0, t, heads, d]);
        string axis = g.Int64Initializer($"{prefix}.slice.axis", [2]);
        string Head(string name, int offset, params long[] perm)
        {
            string part = g.Node("Slice", $"{prefix}.{name}.slice",
                [qkv, g.Int64Initializer($"{prefix}.{name}.start", [offset]), g.Int64Initializer($"{prefix}.{name}.end", [offset + c]), axis], $"{prefix}.{name}");
            string heads4 = g.Node("Reshape", $"{prefix}.{name}.reshape", [part, split], $"{prefix}.{name}.heads");
            return g.Node("Transpose", $"{prefix}.{name}.transpose", [heads4], $"{prefix}.{name}.transposed", OnnxAttribute.Of("perm", perm));
        }
        string q = Head("q", 0, 0, 2, 1, 3), k = Head("k", c, 0, 2, 3, 1), v = Head("v", 2 * c, 0, 2, 1, 3);
        string scores = g.Node("MatMul", $"{prefix}.scores", [q, k], $"{prefix}.scores");
        string scaled = g.Node("Mul", $"{prefix}.scale", [scores, g.Initializer($"{prefix}.scale", [], [1f / MathF.Sqrt(d)])], $"{prefix}.scaled");
        var mask = new float[t * t];
        for (int i = 0; i < t; i++)
            for (int j = i + 1; j < t; j++) mask[i * t + j] = float.NegativeInfinity;
        string masked = g.Node("Add", $"{prefix}.mask", [scaled, g.Initializer($"{prefix}.mask", [t, t], mask)], $"{prefix}.masked");
        string weights = g.Node("Softmax", $"{prefix}.softmax", [masked], $"{prefix}.weights", OnnxAttribute.Of("axis", -1L));
        string z = g.Node("MatMul", $"{prefix}.mix", [weights, v], $"{prefix}.z");
        string zt = g.Node("Transpose", $"{prefix}.z.transpose", [z], $"{prefix}.z.transposed", OnnxAttribute.Of("perm", 0L, 2L, 1L, 3L));
        string merged = g.Node("Reshape", $"{prefix}.z.reshape", [zt, g.Int64Initializer($"{prefix}.z.shape", [0, t, c])], $"{prefix}.z.merged");
        return AddLayer(g, a.OutputProjection, $"{prefix}.proj", merged, shape, output)!;
    }

    private static string Weights(OnnxGraph g, string name, Tensor value) =>
        g.Initializer(name, value.Shape.ToArray().Select(d => (long)d).ToArray(), value.Span);

    private static string BatchNormalization(OnnxGraph g, string prefix, string x, string output,
        Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float epsilon) =>
        g.Node("BatchNormalization", $"{prefix}.batchnormalization",
            [x, Weights(g, $"{prefix}.gamma", gamma), Weights(g, $"{prefix}.beta", beta),
             Weights(g, $"{prefix}.running_mean", mean), Weights(g, $"{prefix}.running_var", variance)],
            output, OnnxAttribute.Of("epsilon", epsilon));

    /// <summary>Reshapes (batch, values) back to (batch, <paramref name="shape"/>...); 0 in a Reshape shape keeps the batch.</summary>
    private static string Unflatten(OnnxGraph g, string prefix, string x, int[] shape, string output)
    {
        string target = g.Int64Initializer($"{prefix}.shape", [0, .. shape.Select(d => (long)d)]);
        return g.Node("Reshape", $"{prefix}.reshape", [x, target], output);
    }
}
