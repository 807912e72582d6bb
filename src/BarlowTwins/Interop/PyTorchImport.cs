using BarlowTwins.Models;

namespace BarlowTwins.Interop;

/// <summary>What <c>barlow import</c> does.</summary>
/// <param name="From">A torch.save file (.pth/.pt): torchvision, the authors' resnet50.pth, or a training checkpoint.</param>
/// <param name="Architecture">resnet18, resnet34 or resnet50.</param>
/// <param name="Out">The backbone folder to write (see <see cref="BackboneFile"/>).</param>
/// <param name="InputChannels">1 or 3; null reads it from conv1.weight.</param>
/// <param name="CifarStem">3×3 stem without max-pool; null reads it from conv1.weight (3×3 vs 7×7).</param>
public sealed record ImportOptions(string From, ResNetArchitecture Architecture, string Out, int? InputChannels = null, bool? CifarStem = null);

/// <summary>PyTorch checkpoints into our backbones.</summary>
public static class PyTorchImport
{
    /// <summary>
    /// Builds the backbone a checkpoint's weights describe and loads them (keys and shapes checked).
    /// Options left null are read from conv1.weight (out × in × k × k): width = out, channels = in,
    /// CIFAR stem when k = 3.
    /// </summary>
    public static ResNet CreateBackbone(PyTorchWeights weights, ResNetArchitecture architecture, int? inputChannels = null, bool? cifarStem = null)
    {
        if (!weights.Backbone.TryGetValue("conv1.weight", out var stem) || stem.dim() != 4)
            throw new InvalidDataException("The checkpoint has no 4-d conv1.weight, so it is not a ResNet backbone.");
        var options = new ResNetOptions(architecture, inputChannels ?? (int)stem.shape[1], cifarStem ?? stem.shape[2] == 3, (int)stem.shape[0]);
        var backbone = new ResNet(options);
        try
        {
            weights.LoadInto(backbone);
            return backbone;
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>barlow import</c>: reads the checkpoint, writes a backbone folder, reports to <paramref name="log"/>.</summary>
    public static void Run(ImportOptions options, TextWriter log)
    {
        using var weights = PyTorchWeights.Load(options.From);
        log.WriteLine($"Read {weights.Backbone.Count} backbone and {weights.Projector.Count} projector tensors from {options.From}");
        foreach (var note in weights.Notes) log.WriteLine("  " + note);
        using var backbone = CreateBackbone(weights, options.Architecture, options.InputChannels, options.CifarStem);
        var o = backbone.Options;
        log.WriteLine($"Loaded into {o.Architecture.Name}: {o.InputChannels} channel(s), {(o.CifarStem ? "CIFAR stem" : "ImageNet stem")}, width {o.Width}, " +
                      $"{backbone.parameters().Sum(p => p.numel()):N0} parameters");
        BackboneFile.Save(options.Out, backbone);
        log.WriteLine($"Wrote {Path.Combine(options.Out, BackboneFile.OptionsFileName)} and {BackboneFile.WeightsFileName}");
    }
}
