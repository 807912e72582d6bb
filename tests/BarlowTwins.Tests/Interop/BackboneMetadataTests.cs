using BarlowTwins.Augment;
using BarlowTwins.Evaluation;
using BarlowTwins.Interop;
using BarlowTwins.Interop.Onnx;
using BarlowTwins.Models;
using BarlowTwins.Training;
using BarlowTwins.Training.Checkpoints;
using BarlowTwins.Training.Options;
using Microsoft.ML.OnnxRuntime;

namespace BarlowTwins.Tests.Interop;

/// <summary>
/// Exports carry what a deployer needs (architecture, stem, channels, input size, mean, std), read
/// back by ONNX Runtime and by our safetensors reader; --checkpoint takes a run folder, a backbone
/// folder or a file in one.
/// </summary>
public class BackboneMetadataTests : TempFolderTest
{
    // A finished run as `barlow pretrain` leaves it: config.json (CIFAR views at 40 px) and backbone.dat.
    private string WriteRun()
    {
        var run = Path.Combine(Folder, "run");
        Directory.CreateDirectory(run);
        var options = PretrainPresets.Cifar with { Backbone = ResNetArchitecture.ResNet18, Width = 4, StemStride = 2, ImageSize = 40, Out = run };
        File.WriteAllText(new RunFolder(run).Config, PretrainOptionsJson.Write(options));
        using var backbone = new ResNet(options.BackboneOptions());
        BackboneExport.Save(backbone, run);
        return run;
    }

    [Fact]
    public void OnnxMetadataReadByOnnxRuntimeDescribesTheRunsBackboneAndInput()
    {
        var run = WriteRun();
        var model = Path.Combine(Folder, "backbone.onnx");
        Export(new ExportOptions(new RunFolder(run).Backbone, ExportFormat.Onnx, model));

        using var session = new InferenceSession(model);
        var properties = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("resnet18", properties["architecture"]);
        Assert.Equal("4", properties["width"]);
        Assert.Equal("cifar", properties["stem"]);
        Assert.Equal("2", properties["stem_stride"]);
        Assert.Equal("3", properties["channels"]);
        Assert.Equal("32", properties["feature_dim"]);
        Assert.Equal("cifar", properties["preset"]);
        Assert.Equal("40", properties["input_size"]);
        Assert.Equal("40", properties["resize"]); // small images are not resized before the crop
        Assert.Equal("0.4914,0.4822,0.4465", properties["mean"]);
        Assert.Equal("0.247,0.2435,0.2616", properties["std"]);

        var metadata = BackboneMetadata.FromProperties(properties);
        Assert.Equal(TwoViewRecipe.Cifar.Normalization.Mean, metadata.Mean);
        Assert.Equal(TwoViewRecipe.Cifar.Normalization.Std, metadata.Std);
        Assert.Equal(session.OutputMetadata[OnnxExport.OutputName].Dimensions[1], metadata.FeatureDim);
    }

    [Fact]
    public void SafeTensorsMetadataHoldsTheSamePropertiesBesideItsFormat()
    {
        var run = WriteRun();
        var file = Path.Combine(Folder, "backbone.safetensors");
        Export(new ExportOptions(run, ExportFormat.SafeTensors, file));

        var (tensors, properties) = SafeTensors.Load(file);
        foreach (var tensor in tensors.Values) tensor.Dispose();
        Assert.Equal("pt", properties["format"]);
        var metadata = BackboneMetadata.FromProperties(properties);
        Assert.Equal(("resnet18", 4, "cifar", 2, 3, 40), (metadata.Architecture, metadata.Width, metadata.Stem, metadata.StemStride,
                                                          metadata.Channels, metadata.InputSize));
    }

    [Fact]
    public void AnImportedBackboneGetsThePreprocessingItsShapeImplies()
    {
        using var colour = TestBackbones.Create("resnet18", 3, cifarStem: false, width: 4, size: 32);
        using var grey = TestBackbones.Create("resnet18", 1, cifarStem: true, width: 4, size: 28);
        var imagenet = BackboneMetadata.Of(colour);
        Assert.Equal(("imagenet", "imagenet", 224, 256), (imagenet.Preset, imagenet.Stem, imagenet.InputSize, imagenet.Resize));
        var fashion = BackboneMetadata.Of(grey);
        Assert.Equal(("fashion-mnist", 1, 28), (fashion.Preset, fashion.Channels, fashion.InputSize));
        Assert.Equal(fashion.ToProperties(), BackboneMetadata.FromProperties(fashion.ToProperties()).ToProperties());
    }

    [Fact]
    public void CheckpointMayNameARunFolderABackboneFolderOrAFileInOne()
    {
        var run = WriteRun();
        var imported = Path.Combine(Folder, "imported");
        using (var backbone = TestBackbones.Create("resnet18", 3, cifarStem: true, width: 4, size: 16)) BackboneFile.Save(imported, backbone);

        foreach (var path in new[] { run, new RunFolder(run).Backbone, new RunFolder(run).Config })
        {
            var loaded = BackboneSource.Load(path);
            using var _ = loaded.Backbone;
            Assert.Equal(("cifar", 40), (loaded.Augment, loaded.ImageSize));
        }
        foreach (var path in new[] { imported, Path.Combine(imported, BackboneFile.WeightsFileName) })
        {
            var loaded = BackboneSource.Load(path);
            using var _ = loaded.Backbone;
            Assert.Equal(4, loaded.Backbone.Options.Width);
        }
        var missing = Assert.Throws<DirectoryNotFoundException>(() => BackboneSource.Load(Path.Combine(Folder, "nowhere")));
        Assert.Contains("nowhere", missing.Message);
        var stray = Path.Combine(Folder, "notes.txt");
        File.WriteAllText(stray, "not a backbone");
        Assert.Contains("backbone.dat", Assert.Throws<ArgumentException>(() => BackboneSource.Load(stray)).Message);
    }

    /// <summary>What <c>barlow export</c> does: load the checkpoint, export it with its metadata.</summary>
    private static void Export(ExportOptions options)
    {
        var loaded = BackboneSource.Load(options.Checkpoint);
        using var backbone = loaded.Backbone;
        BackboneExporter.Run(backbone, loaded.Metadata, options, TextWriter.Null);
    }
}
