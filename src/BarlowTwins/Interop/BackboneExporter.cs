using BarlowTwins.Interop.Onnx;
using BarlowTwins.Models;
using static TorchSharp.torch;

namespace BarlowTwins.Interop;

/// <summary>Where a backbone can go.</summary>
public enum ExportFormat
{
    /// <summary>ONNX graph of the eval-mode network (BN folded), for ONNX Runtime / ML.NET.</summary>
    Onnx,
    /// <summary>torch.save zip of the state dict under torchvision's names.</summary>
    PyTorch,
    /// <summary>safetensors file of the state dict under torchvision's names.</summary>
    SafeTensors,
    /// <summary>TorchSharp's own module.save format.</summary>
    TorchSharp,
}

/// <summary>What <c>barlow export</c> does.</summary>
/// <param name="Checkpoint">A backbone or pre-training run folder (the caller loads it: <c>Evaluation.BackboneSource</c>).</param>
/// <param name="Format">The format to write.</param>
/// <param name="Out">The file to write.</param>
/// <param name="ProbeCount">When positive, also write OUT.probe-input.npy (that many random images,
/// 64 px, or 32 px for a CIFAR stem) and OUT.probe-features.npy (our eval-mode features of them),
/// so any other framework can check the export.</param>
public sealed record ExportOptions(string Checkpoint, ExportFormat Format, string Out, int ProbeCount = 0)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming every option that cannot work, before anything is read or written.</summary>
    public void Validate() => new OptionChecks().AtLeast("probe", ProbeCount, 0).ThrowIfAny("export");
}

/// <summary>Writes a backbone in any <see cref="ExportFormat"/>.</summary>
public static class BackboneExporter
{
    /// <summary>Parses onnx, pytorch, safetensors or torchsharp (case-insensitive).</summary>
    public static ExportFormat ParseFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "onnx" => ExportFormat.Onnx,
        "pytorch" or "pth" or "pt" => ExportFormat.PyTorch,
        "safetensors" => ExportFormat.SafeTensors,
        "torchsharp" => ExportFormat.TorchSharp,
        _ => throw new ArgumentException($"Unknown export format '{text}': use onnx, pytorch, safetensors or torchsharp."),
    };

    /// <summary>
    /// Writes <paramref name="backbone"/> to <paramref name="path"/> in <paramref name="format"/>; ONNX and
    /// safetensors files carry <paramref name="metadata"/> (default: <see cref="BackboneMetadata.Of"/> the backbone alone).
    /// </summary>
    public static void Save(ResNet backbone, ExportFormat format, string path, BackboneMetadata? metadata = null)
    {
        metadata ??= BackboneMetadata.Of(backbone);
        switch (format)
        {
            case ExportFormat.Onnx: OnnxExport.Save(backbone, path, metadata); break;
            case ExportFormat.PyTorch: PyTorchCheckpoint.Save(path, PyTorchOrder.StateDict(backbone)); break;
            case ExportFormat.SafeTensors:
                SafeTensors.Save(path, PyTorchOrder.StateDict(backbone),
                                 new Dictionary<string, string>(metadata.ToProperties()) { ["format"] = "pt" });
                break;
            case ExportFormat.TorchSharp: backbone.save(path); break;
            default: throw new ArgumentOutOfRangeException(nameof(format));
        }
    }

    /// <summary>Runs <c>barlow export</c> on the backbone loaded from <c>options.Checkpoint</c>: writes the file (and probe), reports to <paramref name="log"/>.</summary>
    public static void Run(ResNet backbone, BackboneMetadata metadata, ExportOptions options, TextWriter log)
    {
        options.Validate();
        backbone.eval();
        var o = backbone.Options;
        log.WriteLine($"Loaded {o.Architecture.Name} ({o.InputChannels} channel(s), {o.StemDescription}, width {o.Width}) from {options.Checkpoint}; " +
                      $"input {metadata.InputSize} px ({metadata.Preset} preset: resize {metadata.Resize}, mean {string.Join('/', metadata.Mean)}, std {string.Join('/', metadata.Std)})");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
        Save(backbone, options.Format, options.Out, metadata);
        log.WriteLine($"Wrote {options.Format} to {options.Out} ({new FileInfo(options.Out).Length / 1e6:F1} MB)");
        if (options.ProbeCount > 0) WriteProbe(backbone, options.Out, options.ProbeCount, log);
    }

    private static void WriteProbe(ResNet backbone, string exported, int count, TextWriter log)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int size = backbone.Options.CifarStem ? 32 : 64;
        var generator = new TorchSharp.torch.Generator(seed: 0);
        var input = randn([count, backbone.Options.InputChannels, size, size], generator: generator);
        Npy.Save(input, exported + ".probe-input.npy");
        Npy.Save(backbone.forward(input), exported + ".probe-features.npy");
        log.WriteLine($"Wrote {count} probe images ({size} px) and their features beside it (.probe-input.npy, .probe-features.npy)");
    }
}
