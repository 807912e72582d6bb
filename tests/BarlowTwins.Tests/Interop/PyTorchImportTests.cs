using System.Text.Json;
using BarlowTwins.Interop;
using BarlowTwins.Models;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Interop;

/// <summary>
/// Files written by PyTorch itself (Fixtures/PyTorch, made by make_pytorch_fixtures.py with
/// torch 1.13) and by our exporter, read back into our modules.
/// </summary>
public class PyTorchImportTests : TempFolderTest
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch");
    [Theory]
    [InlineData("dtypes_p2.pth")]
    [InlineData("dtypes_p4.pth")]
    [InlineData("dtypes_p5.pth")]
    public void PyTorchFileReadsEveryDtypeViewAndOffset(string file)
    {
        using var scope = NewDisposeScope();
        var sd = (OrderedDictionary<object, object?>)PyTorchCheckpoint.Load(Path.Combine(Fixtures, file))!;
        Tensor T(string key) => (Tensor)sd[key]!;
        var basis = arange(24, dtype: ScalarType.Float32).reshape(4, 6) / 4;
        TensorAssert.Identical(basis, T("f32"), "f32");
        Assert.Equal(ScalarType.Float16, T("f16").dtype);
        TensorAssert.Identical(arange(6, dtype: ScalarType.Float32) / 8, T("f16").to_type(ScalarType.Float32), "f16");
        Assert.Equal(ScalarType.BFloat16, T("bf16").dtype);
        TensorAssert.Identical(arange(6, dtype: ScalarType.Float32) / 8, T("bf16").to_type(ScalarType.Float32), "bf16");
        TensorAssert.Identical(arange(6, dtype: ScalarType.Float64) / 3, T("f64"), "f64");
        Assert.Equal(0, T("num_batches_tracked").dim());
        Assert.Equal(1234567890123L, T("num_batches_tracked").item<long>());
        Assert.Equal(new byte[] { 250, 251, 252, 253, 254, 255 }, T("u8").data<byte>().ToArray());
        Assert.Equal(new[] { true, false, true }, T("bool").data<bool>().ToArray());
        TensorAssert.Identical(basis.t(), T("transposed"), "transposed"); // stride (1, 6)
        TensorAssert.Identical(basis[1.., 2..], T("slice"), "slice"); // offset 8, shared storage
        TensorAssert.Identical(ones(2, 2), T("parameter"), "parameter");
        Assert.True(T("parameter").requires_grad);
        Assert.False(T("f32").requires_grad);
        Assert.Equal(["f32", "f16", "bf16", "f64", "num_batches_tracked", "u8", "bool", "transposed", "slice", "parameter"], sd.Keys.Cast<string>());
    }

    [Fact]
    public void PyTorchTrainingCheckpointLoadsBackboneAndProjectorAndStaysTrainable()
    {
        using var weights = PyTorchWeights.Load(Path.Combine(Fixtures, "training_checkpoint.pth"));
        using var twin = new TwinNetwork(new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4)), ProjectorSpec.Parse("16-16"));
        weights.LoadInto(twin);

        var sums = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(Fixtures, "training_checkpoint.sums.json")))!;
        var loaded = twin.state_dict();
        int compared = 0;
        foreach (var (key, sum) in sums.Where(kv => !kv.Key.StartsWith("module.bn.")))
        {
            var ours = loaded[key["module.".Length..]];
            // float32 sums of ≤ 2 304 values of size ~1: 1e-4 relative leaves room for summation order only
            Assert.True(Math.Abs(ours.to_type(ScalarType.Float64).sum().item<double>() - sum) <= 1e-4 * Math.Max(1, Math.Abs(sum)), key);
            compared++;
        }
        Assert.Equal(loaded.Count, compared);
        Assert.Contains(weights.Notes, n => n.Contains("module.bn.running_mean"));
        Assert.Contains(weights.Notes, n => n.Contains("'model'"));
        Assert.All(twin.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void PyTorchTorchvisionStateDictDropsTheClassifier()
    {
        using var source = TestBackbones.Create("resnet18", 3, cifarStem: false, width: 8);
        var path = Path.Combine(Folder, "torchvision.pth");
        using var fcWeight = randn(1000, source.FeatureDim);
        using var fcBias = randn(1000);
        PyTorchCheckpoint.Save(path, PyTorchOrder.StateDict(source).Append(new("fc.weight", fcWeight)).Append(new("fc.bias", fcBias)));

        using var weights = PyTorchWeights.Load(path);
        using var target = new ResNet(source.Options);
        weights.LoadInto(target);
        Assert.Contains(weights.Notes, n => n.Contains("fc.weight") && n.Contains("fc.bias"));
        TensorAssert.Identical(source, target);
        Assert.All(target.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void PyTorchDataParallelPrefixIsRemoved()
    {
        using var source = TestBackbones.Create("resnet18", 1, cifarStem: true, width: 4);
        var path = Path.Combine(Folder, "ddp.pth");
        PyTorchCheckpoint.Save(path, PyTorchOrder.StateDict(source).Select(kv => KeyValuePair.Create("module." + kv.Key, kv.Value)));
        using var weights = PyTorchWeights.Load(path);
        using var target = new ResNet(source.Options);
        weights.LoadInto(target);
        TensorAssert.Identical(source, target);
        Assert.Empty(weights.Projector);
    }

    [Fact]
    public void PyTorchMismatchesAreListedInOneError()
    {
        using var source = TestBackbones.Create("resnet18", 3, cifarStem: false, width: 4);
        var path = Path.Combine(Folder, "r18.pth");
        using var extra = zeros(3);
        PyTorchCheckpoint.Save(path, PyTorchOrder.StateDict(source).Where(kv => kv.Key != "layer4.1.bn2.bias").Append(new("head.scale", extra)));
        using var weights = PyTorchWeights.Load(path);
        using var target = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4));
        var error = Assert.Throws<InvalidDataException>(() => weights.LoadInto(target));
        Assert.Contains("missing from the checkpoint (1): layer4.1.bn2.bias", error.Message);
        Assert.Contains("in the checkpoint but not in the model (1): head.scale", error.Message);
        Assert.Contains("conv1.weight: checkpoint [4×3×7×7], model [4×1×3×3]", error.Message);
    }

    [Fact]
    public void PyTorchLegacyFormatIsExplained()
    {
        var path = Path.Combine(Folder, "legacy.pth");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        var error = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("PyTorch ≥ 1.6", error.Message);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet50")]
    public void PyTorchArchitectureIsReadFromTheKeys(string name)
    {
        var keys = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", $"torchvision_{name}_keys.txt")).Select(l => l.Split(' ')[0]);
        Assert.Equal(name, PyTorchImport.InferArchitecture(keys.Append("fc.weight")).Name);
        var error = Assert.Throws<InvalidDataException>(() => PyTorchImport.InferArchitecture(keys.Where(k => !k.StartsWith("layer4.1."))));
        Assert.Contains("per stage", error.Message);
    }

    [Fact]
    public void PyTorchImportBuildsTheBackboneTheWeightsDescribe()
    {
        using var weights = PyTorchWeights.Load(Path.Combine(Fixtures, "training_checkpoint.pth"));
        using var backbone = PyTorchImport.CreateBackbone(weights);
        Assert.Equal(new ResNetOptions(ResNetArchitecture.ResNet18, 1, CifarStem: true, Width: 4), backbone.Options);
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float64)]
    public void PyTorchHalfAndDoubleCheckpointsLoadIntoFloat32Modules(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var source = TestBackbones.Create("resnet18", 1, cifarStem: true, width: 4, size: 16);
        var path = Path.Combine(Folder, $"{dtype}.pth");
        PyTorchCheckpoint.Save(path, PyTorchOrder.StateDict(source).Select(kv =>
            KeyValuePair.Create(kv.Key, kv.Value.is_floating_point() ? kv.Value.to_type(dtype) : kv.Value)));
        using var weights = PyTorchWeights.Load(path);
        Assert.Equal(dtype, weights.Backbone["conv1.weight"].dtype);
        using var target = new ResNet(source.Options);
        weights.LoadInto(target);
        var loaded = target.state_dict();
        foreach (var (key, tensor) in source.state_dict())
        {
            var expected = tensor.is_floating_point() ? tensor.to_type(dtype).to_type(tensor.dtype) : tensor; // rounded once, as stored
            TensorAssert.Identical(expected, loaded[key], key);
        }
    }
}
