using BarlowTwins.Interop;
using BarlowTwins.Models;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Interop;

/// <summary>PyTorch, safetensors and backbone-folder exports: order, round trips, dtypes.</summary>
public class PyTorchExportTests : TempFolderTest
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void PyTorchOrderEqualsTorchvisionsStateDictOrder(string name)
    {
        using var net = new ResNet(new ResNetOptions(ResNetArchitecture.Parse(name)));
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", $"torchvision_{name}_keys.txt"));
        var actual = PyTorchOrder.StateDict(net).Select(kv => $"{kv.Key} {(kv.Value.dim() == 0 ? "scalar" : string.Join('x', kv.Value.shape))}");
        Assert.Equal(expected, actual);
    }

    // Also the authors' released resnet50.pth layout: a bare backbone state dict, no fc.
    [Fact]
    public void PyTorchExportThenImportGivesIdenticalTensors()
    {
        using var source = TestBackbones.Create("resnet18", 1, cifarStem: true, width: 8);
        var path = Path.Combine(Folder, "r18.pth");
        PyTorchCheckpoint.Save(path, PyTorchOrder.StateDict(source));
        using var weights = PyTorchWeights.Load(path);
        Assert.Equal(PyTorchOrder.StateDict(source).Select(kv => kv.Key), weights.Backbone.Keys);
        using var target = new ResNet(source.Options);
        weights.LoadInto(target);
        TensorAssert.Identical(source, target);
    }

    [Fact]
    public void PyTorchExportOfTheTwinKeepsTheProjector()
    {
        using var source = new TwinNetwork(TestBackbones.Create("resnet18", 1, cifarStem: true, width: 4), ProjectorSpec.Parse("16-8"));
        var path = Path.Combine(Folder, "twin.pth");
        PyTorchCheckpoint.Save(path, PyTorchOrder.StateDict(source));
        using var weights = PyTorchWeights.Load(path);
        using var target = new TwinNetwork(new ResNet(source.Backbone.Options), ProjectorSpec.Parse("16-8"));
        weights.LoadInto(target);
        TensorAssert.Identical(source, target);
    }

    [Fact]
    public void SafeTensorsRoundTripKeepsDtypesShapesOrderAndMetadata()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = randn(3, 5),
            ["half"] = randn(7).to_type(ScalarType.Float16),
            ["bf"] = randn(2, 2).to_type(ScalarType.BFloat16),
            ["count"] = tensor(42L),
            ["mask"] = tensor(new[] { true, false }),
            ["t"] = randn(4, 6).t(),
        };
        var path = Path.Combine(Folder, "x.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["architecture"] = "resnet18" });
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, (8 + (long)BitConverter.ToUInt64(bytes, 0)) % 8);   // data starts 8-byte aligned
        var (loaded, metadata) = SafeTensors.Load(path);
        Assert.Equal("resnet18", metadata["architecture"]);
        Assert.Equal(tensors.Keys, loaded.Keys);
        foreach (var (key, t) in tensors)
        {
            TensorAssert.Identical(t, loaded[key], key);
        }
    }

    [Fact]
    public void BackboneFolderRoundTripRebuildsTheSameNetwork()
    {
        using var source = TestBackbones.Create("resnet50", 3, cifarStem: false, width: 4);
        var dir = Path.Combine(Folder, "backbone");
        BackboneFile.Save(dir, source);
        using var loaded = BackboneFile.Load(dir);
        Assert.Equal(source.Options with { ZeroInitResidual = true }, loaded.Options);
        TensorAssert.Identical(source, loaded);
    }

    [Fact]
    public void BackboneFolderKeepsTheStemStrideAndOldFoldersReadAsStrideOne()
    {
        using var source = TestBackbones.Create("resnet18", 1, cifarStem: true, width: 4, size: 16, stemStride: 2);
        var dir = Path.Combine(Folder, "strided");
        BackboneFile.Save(dir, source);
        Assert.Equal(2, BackboneFile.ReadOptions(dir).StemStride);
        // A backbone.json written before the stride existed.
        File.WriteAllText(Path.Combine(dir, BackboneFile.OptionsFileName),
                          """{"architecture": "resnet18", "inputChannels": 1, "cifarStem": true, "width": 4}""");
        Assert.Equal(1, BackboneFile.ReadOptions(dir).StemStride);
    }

    [Theory]
    [InlineData("torchsharp", ExportFormat.TorchSharp)]
    [InlineData("safetensors", ExportFormat.SafeTensors)]
    [InlineData("pytorch", ExportFormat.PyTorch)]
    public void EveryWeightFormatRoundTripsThroughTheExporter(string name, ExportFormat format)
    {
        Assert.Equal(format, BackboneExporter.ParseFormat(name.ToUpperInvariant()));
        using var source = TestBackbones.Create("resnet18", 1, cifarStem: true, width: 4, size: 16);
        var path = Path.Combine(Folder, "backbone." + name);
        BackboneExporter.Save(source, format, path);
        using var target = new ResNet(source.Options);
        switch (format)
        {
            case ExportFormat.TorchSharp: target.load(path); break;
            case ExportFormat.SafeTensors: StrictLoad.Into(target, SafeTensors.Load(path).Tensors, "backbone"); break;
            default: using (var weights = PyTorchWeights.Load(path)) weights.LoadInto(target); break;
        }
        TensorAssert.Identical(source, target);
    }

    [Fact]
    public void UnknownExportFormatIsExplained()
    {
        var error = Assert.Throws<ArgumentException>(() => BackboneExporter.ParseFormat("tflite"));
        Assert.Contains("onnx, pytorch, safetensors or torchsharp", error.Message);
    }
}
