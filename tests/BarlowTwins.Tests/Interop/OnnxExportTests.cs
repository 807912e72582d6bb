using BarlowTwins.Interop.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Interop;

/// <summary>
/// The exported graph, run by ONNX Runtime, against our TorchSharp module in eval mode.
/// Tolerance 1e-4 absolute on features of size ~1: float32 convolutions summed in a different
/// order, plus BN folded in float64 then rounded to float32, differ by ~1e-6–1e-5. Both are also
/// held against the same network run in float64, so neither side can drift unnoticed.
/// </summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("resnet18", 3, false, 64, 1)]
    [InlineData("resnet50", 3, false, 64, 1)]
    [InlineData("resnet18", 1, true, 28, 1)]
    [InlineData("resnet18", 1, true, 28, 2)]
    public void OnnxRuntimeMatchesTorchSharp(string architecture, int channels, bool cifarStem, int size, int stemStride)
    {
        Support.Torch.Ensure();
        using var scope = NewDisposeScope();
        using var backbone = TestBackbones.Create(architecture, channels, cifarStem, size: size, stemStride: stemStride);
        using var model = new MemoryStream();
        OnnxExport.Save(backbone, model);
        using var session = new InferenceSession(model.ToArray());

        Tensor input = null!, expected = null!, actual = null!;
        foreach (int batch in new[] { 3, 2 }) // the batch dimension is dynamic
        {
            input = randn(batch, channels, size, size);
            expected = backbone.forward(input);
            actual = Run(session, input);
            double difference = Support.Compare.AbsoluteMax(actual, expected);
            output.WriteLine($"{architecture} {channels}-ch {size}px stem stride {stemStride} batch {batch}: max |onnx − torchsharp| = {difference:E2}, max |features| {expected.abs().max().item<float>():F2}");
            Assert.True(expected.std().item<float>() > 0.1, "features too small for the comparison to mean anything");
            Assert.True(difference < 1e-4, $"max abs difference {difference:E2}");
        }
        var exact = backbone.to(ScalarType.Float64).forward(input.to_type(ScalarType.Float64));
        double onnxError = Support.Compare.AbsoluteMax(actual, exact), torchSharpError = Support.Compare.AbsoluteMax(expected, exact);
        output.WriteLine($"  against float64: onnx {onnxError:E2}, torchsharp float32 {torchSharpError:E2}");
        Assert.True(onnxError < 1e-4 && torchSharpError < 1e-4);
    }

    [Fact]
    public void OnnxGraphDeclaresItsNamesDynamicDimensionsAndOpset()
    {
        Support.Torch.Ensure();
        using var backbone = TestBackbones.Create("resnet18", 1, cifarStem: true, width: 4, size: 16);
        using var model = new MemoryStream();
        OnnxExport.Save(backbone, model);
        using var session = new InferenceSession(model.ToArray());
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal(OnnxExport.InputName, input.Key);
        Assert.Equal(new[] { -1, 1, -1, -1 }, input.Value.Dimensions);
        var features = Assert.Single(session.OutputMetadata);
        Assert.Equal(OnnxExport.OutputName, features.Key);
        Assert.Equal(new[] { -1, backbone.FeatureDim }, features.Value.Dimensions);
        Assert.Equal("BarlowTwins", session.ModelMetadata.ProducerName);
        Assert.Equal(backbone.Options.Architecture.Name, session.ModelMetadata.GraphName);
    }

    private static Tensor Run(InferenceSession session, Tensor input)
    {
        var data = input.contiguous().data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(data, input.shape);
        using var results = session.Run(new RunOptions(), [OnnxExport.InputName], [value], [OnnxExport.OutputName]);
        var features = results[0];
        var shape = features.GetTensorTypeAndShape().Shape;
        return tensor(features.GetTensorDataAsSpan<float>().ToArray()).reshape(shape);
    }
}
