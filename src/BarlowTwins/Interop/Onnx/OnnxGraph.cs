using static TorchSharp.torch;

namespace BarlowTwins.Interop.Onnx;

/// <summary>A node attribute: one integer or a list of integers (all a ResNet needs).</summary>
internal sealed record OnnxAttribute(string Name, long[] Values, bool IsList)
{
    public static OnnxAttribute Int(string name, long value) => new(name, [value], false);
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, values, true);
}

/// <summary>
/// An ONNX model being built: float32 initializers, nodes in topological order, one float32
/// input and one output whose first dimension is the symbolic batch size. Field numbers are
/// onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
/// </summary>
internal sealed class OnnxGraph(string name)
{
    private const long IrVersion = 8;           // ONNX 1.10+, which opset 17 needs
    public const long OpsetVersion = 17;
    private const int Float32 = 1;               // TensorProto.DataType.FLOAT
    private const int AttributeInt = 2, AttributeInts = 7;

    private sealed record Node(string Op, string Name, string[] Inputs, string Output, OnnxAttribute[] Attributes);
    private sealed record Initializer(string Name, long[] Dims, byte[] Data);
    private sealed record Value(string Name, object?[] Dims);

    private readonly List<Node> nodes = [];
    private readonly List<Initializer> initializers = [];
    private readonly List<Value> inputs = [];
    private readonly List<Value> outputs = [];

    /// <summary>Adds a constant (converted to float32, little-endian) and returns its name.</summary>
    public string AddInitializer(string initializerName, Tensor value)
    {
        using var data = value.detach().to_type(ScalarType.Float32).cpu().contiguous();
        initializers.Add(new Initializer(initializerName, data.shape, data.bytes.ToArray()));
        return initializerName;
    }

    /// <summary>Adds a node whose single output is named <paramref name="output"/>; returns that name.</summary>
    public string AddNode(string op, string output, string[] nodeInputs, params OnnxAttribute[] attributes)
    {
        nodes.Add(new Node(op, output, nodeInputs, output, attributes));
        return output;
    }

    /// <summary>Declares a float32 graph input; a string dimension is symbolic (dynamic).</summary>
    public void AddInput(string valueName, params object?[] dims) => inputs.Add(new Value(valueName, dims));

    /// <summary>Declares a float32 graph output; a string dimension is symbolic (dynamic).</summary>
    public void AddOutput(string valueName, params object?[] dims) => outputs.Add(new Value(valueName, dims));

    /// <summary>Serialises the ModelProto, with <paramref name="metadata"/> as its metadata_props.</summary>
    public void Save(Stream stream, string producerVersion, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ProtoWriter();
        model.Varint(1, IrVersion);
        model.String(2, "BarlowTwins");
        model.String(3, producerVersion);
        model.Message(7, WriteGraph);
        model.Message(8, opset => { opset.String(1, ""); opset.Varint(2, OpsetVersion); });
        foreach (var (key, value) in metadata) model.Message(14, entry => { entry.String(1, key); entry.String(2, value); });
        model.WriteTo(stream);
    }

    private void WriteGraph(ProtoWriter graph)
    {
        foreach (var node in nodes) graph.Message(1, n => WriteNode(n, node));
        graph.String(2, name);
        foreach (var initializer in initializers) graph.Message(5, t => WriteTensor(t, initializer));
        foreach (var input in inputs) graph.Message(11, v => WriteValue(v, input));
        foreach (var output in outputs) graph.Message(12, v => WriteValue(v, output));
    }

    private static void WriteNode(ProtoWriter n, Node node)
    {
        foreach (var input in node.Inputs) n.String(1, input);
        n.String(2, node.Output);
        n.String(3, node.Name);
        n.String(4, node.Op);
        foreach (var attribute in node.Attributes)
        {
            n.Message(5, a =>
            {
                a.String(1, attribute.Name);
                if (attribute.IsList) foreach (var v in attribute.Values) a.Varint(8, v);
                else a.Varint(3, attribute.Values[0]);
                a.Varint(20, attribute.IsList ? AttributeInts : AttributeInt);
            });
        }
    }

    private static void WriteTensor(ProtoWriter t, Initializer initializer)
    {
        foreach (var dim in initializer.Dims) t.Varint(1, dim);
        t.Varint(2, Float32);
        t.String(8, initializer.Name);
        t.Bytes(9, initializer.Data);
    }

    private static void WriteValue(ProtoWriter v, Value value)
    {
        v.String(1, value.Name);
        v.Message(2, type => type.Message(1, tensorType =>
        {
            tensorType.Varint(1, Float32);
            tensorType.Message(2, shape =>
            {
                foreach (var dim in value.Dims)
                    shape.Message(1, d =>
                    {
                        if (dim is string symbol) d.String(2, symbol);
                        else d.Varint(1, Convert.ToInt64(dim));
                    });
            });
        }));
    }
}
