using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using BarlowTwins.Models;
using BarlowTwins.Tests.Support;
using BarlowTwins.Training;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Training;

/// <summary><c>pretrain --init-from</c>: a new run starts from the weights of anything import or export writes.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class InitFromTests : TempFolderTest
{
    private string At(string name) => Path.Combine(Folder, name);

    [Fact]
    public void EveryExportAndImportOfATrainedBackboneStartsARunWithItsExactWeights()
    {
        var trained = TinyRun.Options(At("trained")) with { Steps = 4 };
        using (var run = new Pretrainer(trained, TinyRun.Data(), [])) run.Run();
        using var backbone = EvalBackboneOf(trained.Out);
        BackboneExporter.Save(backbone, ExportFormat.SafeTensors, At("b.safetensors"));
        BackboneExporter.Save(backbone, ExportFormat.PyTorch, At("b.pth"));
        BackboneExporter.Save(backbone, ExportFormat.TorchSharp, At("b.dat"));
        PyTorchImport.Run(new ImportOptions(At("b.pth"), null, At("imported")), TextWriter.Null);

        foreach (var source in new[] { trained.Out, At("b.safetensors"), At("b.pth"), At("b.dat"), At("imported") })
        {
            var recorder = new RunRecorder();
            var options = TinyRun.Options(At("from-" + Path.GetFileName(source))) with { InitFrom = source, Seed = 99 };
            using var started = new Pretrainer(options, TinyRun.Data(), [recorder]);
            AssertSameState(backbone, started.Twin.Backbone, source);
            Assert.Contains(recorder.Messages, m => m.Contains($"initialised from {source}"));
        }
    }

    [Fact]
    public void WithoutInitFromTheSeedDecidesTheWeights()
    {
        var trained = TinyRun.Options(At("trained")) with { Steps = 3 };
        using (var run = new Pretrainer(trained, TinyRun.Data(), [])) run.Run();
        using var backbone = EvalBackboneOf(trained.Out);
        using var fresh = new Pretrainer(TinyRun.Options(At("fresh")), TinyRun.Data(), []);
        Assert.False(backbone.state_dict()["conv1.weight"].equal(fresh.Twin.Backbone.state_dict()["conv1.weight"]).all().item<bool>());
    }

    [Fact]
    public void ABackboneThatDoesNotFitIsRefusedWithWhatDiffers()
    {
        using var wide = new ResNet(new ResNetOptions(ResNetArchitecture.ResNet18, 3, CifarStem: true, Width: 8));
        BackboneFile.Save(At("wide"), wide);
        BackboneExporter.Save(wide, ExportFormat.SafeTensors, At("wide.safetensors"));
        var options = TinyRun.Options(At("run"));

        var folder = Assert.Throws<InvalidDataException>(() => new Pretrainer(options with { InitFrom = At("wide") }, TinyRun.Data(), []));
        Assert.Contains("resnet18 width 8", folder.Message);
        Assert.Contains("--width", folder.Message);
        var file = Assert.Throws<InvalidDataException>(() => new Pretrainer(options with { InitFrom = At("wide.safetensors") }, TinyRun.Data(), []));
        Assert.Contains("shape differs", file.Message);

        File.WriteAllBytes(At("b.onnx"), [0]);
        var onnx = Assert.Throws<NotSupportedException>(() => new Pretrainer(options with { InitFrom = At("b.onnx") }, TinyRun.Data(), []));
        Assert.Contains("folded", onnx.Message);
        Assert.Throws<FileNotFoundException>(() => new Pretrainer(options with { InitFrom = At("missing.pth") }, TinyRun.Data(), []));
    }

    private static ResNet EvalBackboneOf(string run) => BackboneSource.Load(run).Backbone;

    private static void AssertSameState(ResNet expected, ResNet actual, string source)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, tensor) in a)
            Assert.True(tensor.equal(b[name]).all().item<bool>(), $"{source}: {name} differs");
    }
}
