using BarlowTwins.Models;

namespace BarlowTwins.Interop;

/// <summary>What <c>barlow import</c> does.</summary>
/// <param name="From">A torch.save file (.pth/.pt): torchvision, the authors' resnet50.pth, or a training checkpoint.</param>
/// <param name="Architecture">resnet18, resnet34 or resnet50; null reads it from the keys (block type and blocks per stage).</param>
/// <param name="Out">The backbone folder to write (see <see cref="BackboneFile"/>).</param>
/// <param name="InputChannels">1 or 3; null reads it from conv1.weight.</param>
/// <param name="CifarStem">3×3 stem without max-pool; null reads it from conv1.weight (3×3 vs 7×7).</param>
/// <param name="StemStride">Stride of the CIFAR stem (1 or 2): weights do not record it.</param>
public sealed record ImportOptions(string From, ResNetArchitecture? Architecture, string Out, int? InputChannels = null, bool? CifarStem = null,
                                   int StemStride = 1);

/// <summary>PyTorch checkpoints into our backbones.</summary>
public static class PyTorchImport
{
    /// <summary>
    /// Builds the backbone a checkpoint's weights describe and loads them (keys and shapes checked).
    /// Options left null are read from the weights: the architecture from the block type
    /// (conv3 in bottlenecks) and the blocks per stage; from conv1.weight (out × in × k × k)
    /// width = out, channels = in, CIFAR stem when k = 3. The stem's stride is not in the weights: it is
    /// <paramref name="stemStride"/>.
    /// </summary>
    public static ResNet CreateBackbone(PyTorchWeights weights, ResNetArchitecture? architecture = null, int? inputChannels = null, bool? cifarStem = null,
                                        int stemStride = 1)
    {
        if (!weights.Backbone.TryGetValue("conv1.weight", out var stem) || stem.dim() != 4)
            throw new InvalidDataException("The checkpoint has no 4-d conv1.weight, so it is not a ResNet backbone.");
        var options = new ResNetOptions(architecture ?? InferArchitecture(weights.Backbone.Keys), inputChannels ?? (int)stem.shape[1],
                                        cifarStem ?? stem.shape[2] == 3, (int)stem.shape[0], StemStride: stemStride);
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

    /// <summary>The torchvision ResNet whose block type and blocks per stage the keys show.</summary>
    public static ResNetArchitecture InferArchitecture(IEnumerable<string> keys)
    {
        var blocks = new SortedDictionary<int, HashSet<string>>();
        bool bottleneck = false;
        foreach (var parts in keys.Select(k => k.Split('.')).Where(p => p.Length > 2 && p[0].StartsWith("layer", StringComparison.Ordinal)))
        {
            if (!int.TryParse(parts[0]["layer".Length..], out int stage)) continue;
            (blocks.TryGetValue(stage, out var set) ? set : blocks[stage] = []).Add(parts[1]);
            bottleneck |= parts[2] == "conv3";
        }
        var counts = blocks.Values.Select(b => b.Count).ToArray();
        return new[] { ResNetArchitecture.ResNet18, ResNetArchitecture.ResNet34, ResNetArchitecture.ResNet50 }
                   .FirstOrDefault(a => a.Bottleneck == bottleneck && a.Blocks.SequenceEqual(counts))
               ?? throw new InvalidDataException(
                   $"The checkpoint's ResNet ({(bottleneck ? "bottleneck" : "basic")} blocks, {string.Join("-", counts)} per stage) " +
                   "is not resnet18, resnet34 or resnet50.");
    }

    /// <summary>Runs <c>barlow import</c>: reads the checkpoint, writes a backbone folder, reports to <paramref name="log"/>.</summary>
    public static void Run(ImportOptions options, TextWriter log)
    {
        using var weights = PyTorchWeights.Load(options.From);
        log.WriteLine($"Read {weights.Backbone.Count} backbone and {weights.Projector.Count} projector tensors from {options.From}");
        foreach (var note in weights.Notes) log.WriteLine("  " + note);
        using var backbone = CreateBackbone(weights, options.Architecture, options.InputChannels, options.CifarStem, options.StemStride);
        var o = backbone.Options;
        log.WriteLine($"Loaded into {o.Architecture.Name}: {o.InputChannels} channel(s), {o.StemDescription}, width {o.Width}, " +
                      $"{backbone.parameters().Sum(p => p.numel()):N0} parameters");
        BackboneFile.Save(options.Out, backbone);
        log.WriteLine($"Wrote {Path.Combine(options.Out, BackboneFile.OptionsFileName)} and {BackboneFile.WeightsFileName}");
    }
}
