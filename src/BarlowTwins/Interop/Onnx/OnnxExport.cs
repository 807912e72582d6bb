using BarlowTwins.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BarlowTwins.Interop.Onnx;

/// <summary>
/// Exports a ResNet backbone to ONNX (opset 17) by walking its modules: input <c>input</c>
/// (batch × channels × height × width, batch/height/width dynamic), output <c>features</c>
/// (batch × FeatureDim). The graph is the network in eval mode with every BatchNorm folded into
/// the convolution before it (W·γ/√(σ²+ε), β − μ·γ/√(σ²+ε), computed in float64), so it holds
/// only Conv, Relu, MaxPool, Add, GlobalAveragePool and Flatten. The model's <c>metadata_props</c>
/// hold <see cref="BackboneMetadata"/>: the architecture and how to prepare the input.
/// </summary>
public static class OnnxExport
{
    /// <summary>Name of the graph's input.</summary>
    public const string InputName = "input";

    /// <summary>Name of the graph's output.</summary>
    public const string OutputName = "features";

    /// <summary>
    /// Writes <paramref name="backbone"/> as an ONNX model to <paramref name="path"/>, with
    /// <paramref name="metadata"/> (default: <see cref="BackboneMetadata.Of"/> the backbone alone).
    /// </summary>
    public static void Save(ResNet backbone, string path, BackboneMetadata? metadata = null)
    {
        using var file = File.Create(path);
        Save(backbone, file, metadata);
    }

    /// <summary>Writes <paramref name="backbone"/> as an ONNX model to <paramref name="stream"/> (see the path overload).</summary>
    public static void Save(ResNet backbone, Stream stream, BackboneMetadata? metadata = null)
    {
        using var _ = no_grad();
        var graph = new OnnxGraph(backbone.Options.Architecture.Name);
        graph.AddInput(InputName, "batch", (long)backbone.Options.InputChannels, "height", "width");
        var stem = Children(backbone);
        var x = ConvBn(graph, stem, "conv1", "bn1", InputName, "");
        x = graph.AddNode("Relu", "relu", [x]);
        if (stem["maxpool"] is MaxPool2d pool) x = MaxPool(graph, pool, x);
        else if (stem["maxpool"] is not Identity) throw Unsupported(stem["maxpool"]);
        foreach (var stage in new[] { "layer1", "layer2", "layer3", "layer4" })
            foreach (var (index, block) in stem[stage].named_children())
                x = Block(graph, block, x, $"{stage}.{index}.");
        x = graph.AddNode("GlobalAveragePool", "avgpool", [x]);
        graph.AddNode("Flatten", OutputName, [x], OnnxAttribute.Int("axis", 1));
        graph.AddOutput(OutputName, "batch", (long)backbone.FeatureDim);
        graph.Save(stream, typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
                   (metadata ?? BackboneMetadata.Of(backbone)).ToProperties());
    }

    // conv→bn→relu … conv→bn, plus the shortcut, then relu: BasicBlock (2 convs) and Bottleneck (3).
    private static string Block(OnnxGraph graph, nn.Module block, string x, string path)
    {
        if (block is not (BasicBlock or Bottleneck)) throw Unsupported(block);
        var parts = Children(block);
        var y = x;
        for (int k = 1; parts.ContainsKey($"conv{k}"); k++)
        {
            y = ConvBn(graph, parts, $"conv{k}", $"bn{k}", y, path);
            if (parts.ContainsKey($"conv{k + 1}")) y = graph.AddNode("Relu", $"{path}relu{k}", [y]);
        }
        var identity = parts.TryGetValue("downsample", out var downsample)
            ? ConvBn(graph, Children(downsample), "0", "1", x, path + "downsample.")
            : x;
        var sum = graph.AddNode("Add", $"{path}add", [y, identity]);
        return graph.AddNode("Relu", $"{path}out", [sum]);
    }

    private static string ConvBn(OnnxGraph graph, Dictionary<string, nn.Module> parts, string convName, string bnName, string x, string path)
    {
        if (parts[convName] is not Conv2d conv) throw Unsupported(parts[convName]);
        if (parts[bnName] is not BatchNorm2d bn) throw Unsupported(parts[bnName]);
        if (conv.padding is not { } padding) throw new NotSupportedException($"{path}{convName}: only numeric convolution padding is exported.");
        using var scope = NewDisposeScope();
        var scale = bn.weight!.to_type(ScalarType.Float64) / (bn.running_var!.to_type(ScalarType.Float64) + bn.eps).sqrt();
        var weight = conv.weight!.to_type(ScalarType.Float64) * scale.view(-1, 1, 1, 1);
        var bias = bn.bias!.to_type(ScalarType.Float64) - bn.running_mean!.to_type(ScalarType.Float64) * scale;
        if (conv.bias is not null) bias += conv.bias.to_type(ScalarType.Float64) * scale;
        var name = path + convName;
        var weightName = graph.AddInitializer(name + ".weight", weight);
        var biasName = graph.AddInitializer(name + ".bias", bias);
        return graph.AddNode("Conv", name, [x, weightName, biasName],
            OnnxAttribute.Ints("kernel_shape", conv.kernel_size),
            OnnxAttribute.Ints("strides", conv.stride),
            OnnxAttribute.Ints("pads", [.. padding, .. padding]),
            OnnxAttribute.Ints("dilations", conv.dilation),
            OnnxAttribute.Int("group", conv.groups));
    }

    private static string MaxPool(OnnxGraph graph, MaxPool2d pool, string x) =>
        graph.AddNode("MaxPool", "maxpool", [x],
            OnnxAttribute.Ints("kernel_shape", pool.kernel_size),
            OnnxAttribute.Ints("strides", pool.stride ?? pool.kernel_size),
            OnnxAttribute.Ints("pads", [.. pool.padding ?? [0, 0], .. pool.padding ?? [0, 0]]));

    private static Dictionary<string, nn.Module> Children(nn.Module module) =>
        module.named_children().ToDictionary(c => c.name, c => c.module);

    private static NotSupportedException Unsupported(nn.Module module) =>
        new($"The ONNX exporter does not know {module.GetType().Name}; it exports the ResNets of BarlowTwins.Models.");
}
