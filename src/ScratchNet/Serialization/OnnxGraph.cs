using System.Buffers.Binary;

namespace ScratchNet.Serialization;

/// <summary>
/// An ONNX model under construction: nodes in execution order, initializers (the weights), and then
/// the ModelProto that holds them, written with <see cref="ProtobufWriter"/>. Every field number
/// below is the one onnx/onnx.proto gives (github.com/onnx/onnx, MIT licence); the messages used are
/// ModelProto, OperatorSetIdProto, StringStringEntryProto, GraphProto, NodeProto, AttributeProto,
/// TensorProto, ValueInfoProto, TypeProto(.Tensor) and TensorShapeProto(.Dimension).
/// </summary>
internal sealed class OnnxGraph
{
    // ModelProto
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelDocString = 6,
        ModelGraph = 7, ModelOpsetImport = 8, ModelMetadataProps = 14;
    // OperatorSetIdProto (domain = 1 is left out: empty means the standard ai.onnx operators)
    private const int OpsetVersionField = 2;
    // StringStringEntryProto
    private const int EntryKey = 1, EntryValue = 2;
    // GraphProto
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;
    // AttributeProto and its AttributeType values
    private const int AttributeName = 1, AttributeF = 2, AttributeI = 3, AttributeInts = 8, AttributeType = 20;
    private const int TypeFloat = 1, TypeInt = 2, TypeInts = 7;
    // TensorProto and its DataType values
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;
    private const int DataTypeFloat = 1, DataTypeInt64 = 7;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1, ValueInfoType = 2, TypeTensorType = 1, TensorTypeElemType = 1, TensorTypeShape = 2,
        ShapeDim = 1, DimValue = 1, DimParam = 2;

    private readonly List<Action<ProtobufWriter>> _nodes = [], _initializers = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>A float32 constant (raw little-endian data); returns its name.</summary>
    public string Initializer(string name, long[] dims, ReadOnlySpan<float> values)
    {
        Claim(name);
        byte[] raw = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), values[i]);
        _initializers.Add(w => Tensor(w, name, dims, DataTypeFloat, raw));
        return name;
    }

    /// <summary>A one-dimensional int64 constant (a shape for Reshape); returns its name.</summary>
    public string Int64Initializer(string name, long[] values)
    {
        Claim(name);
        byte[] raw = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        _initializers.Add(w => Tensor(w, name, [values.Length], DataTypeInt64, raw));
        return name;
    }

    /// <summary>A node of the standard operator set; returns the name of its one output.</summary>
    public string Node(string opType, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        Claim(output);
        _nodes.Add(w =>
        {
            foreach (string input in inputs) w.String(NodeInput, input);
            w.String(NodeOutput, output);
            w.String(NodeName, name);
            w.String(NodeOpType, opType);
            foreach (var a in attributes) w.Message(NodeAttribute, aw => Attribute(aw, a));
        });
        return output;
    }

    /// <summary>
    /// The ModelProto: IR version <paramref name="irVersion"/>, the standard operator set at
    /// <paramref name="opset"/>, one float32 input and one output whose first dimension is the batch
    /// ("batch", any size), and <paramref name="metadata"/> as metadata_props.
    /// </summary>
    public void WriteModel(Stream stream, long irVersion, long opset, string producerVersion, string docString,
        string input, int[] inputShape, string output, int[] outputShape, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var model = new ProtobufWriter();
        model.Int64(ModelIrVersion, irVersion);
        model.String(ModelProducerName, "ScratchNet");
        model.String(ModelProducerVersion, producerVersion);
        model.String(ModelDocString, docString);
        model.Message(ModelGraph, g =>
        {
            foreach (var node in _nodes) g.Message(GraphNode, node);
            g.String(GraphName, "scratchnet");
            foreach (var init in _initializers) g.Message(GraphInitializer, init);
            g.Message(GraphInput, v => ValueInfo(v, input, inputShape));
            g.Message(GraphOutput, v => ValueInfo(v, output, outputShape));
        });
        model.Message(ModelOpsetImport, o => o.Int64(OpsetVersionField, opset));
        foreach (var (key, value) in metadata)
            model.Message(ModelMetadataProps, e => { e.String(EntryKey, key); e.String(EntryValue, value); });
        model.CopyTo(stream);
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"ONNX graph: the value name '{name}' is used twice.");
    }

    private static void Tensor(ProtobufWriter w, string name, long[] dims, int dataType, byte[] raw)
    {
        foreach (long d in dims) w.Int64(TensorDims, d);
        w.Int64(TensorDataType, dataType);
        w.String(TensorName, name);
        w.Bytes(TensorRawData, raw);
    }

    private static void Attribute(ProtobufWriter w, OnnxAttribute a)
    {
        w.String(AttributeName, a.Name);
        if (a.Int is long i) { w.Int64(AttributeType, TypeInt); w.Int64(AttributeI, i); }
        else if (a.Float is float f) { w.Int64(AttributeType, TypeFloat); w.Float(AttributeF, f); }
        else
        {
            w.Int64(AttributeType, TypeInts);
            foreach (long v in a.Ints ?? []) w.Int64(AttributeInts, v);
        }
    }

    /// <summary>A float32 tensor value of shape (batch, <paramref name="sampleShape"/>...).</summary>
    private static void ValueInfo(ProtobufWriter w, string name, int[] sampleShape)
    {
        w.String(ValueInfoName, name);
        w.Message(ValueInfoType, t => t.Message(TypeTensorType, tt =>
        {
            tt.Int64(TensorTypeElemType, DataTypeFloat);
            tt.Message(TensorTypeShape, s =>
            {
                s.Message(ShapeDim, d => d.String(DimParam, "batch"));
                foreach (int n in sampleShape) s.Message(ShapeDim, d => d.Int64(DimValue, n));
            });
        }));
    }
}
