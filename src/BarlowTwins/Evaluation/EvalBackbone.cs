using System.Text.Json;
using BarlowTwins.Interop;
using BarlowTwins.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BarlowTwins.Evaluation;

/// <summary>A network to evaluate: a ResNet (pre-trained or random) or the raw pixels themselves.</summary>
/// <param name="Network">Images → features, already adapted to the data's channels.</param>
/// <param name="ResNet">The ResNet inside, or null for raw pixels (semi-supervised needs one).</param>
/// <param name="Description">What it is, for reports: a checkpoint path, "random resnet18", "raw pixels".</param>
/// <param name="Augment">Augmentation preset the backbone was pre-trained with, when known.</param>
/// <param name="ChannelAdaptation">How the data's channels reach the backbone (see <see cref="ChannelAdapter"/>).</param>
public sealed record EvalBackbone(Module<Tensor, Tensor> Network, ResNet? ResNet, string Description, string? Augment,
                                  string ChannelAdaptation)
{
    /// <summary>Help text for the <c>--checkpoint</c> option.</summary>
    public const string Help =
        "a pre-training run folder (config.json + backbone.dat), a backbone folder from `barlow import`, random:ARCH[:WIDTH] for a randomly initialised " +
        "ResNet with the CIFAR stem (e.g. random:resnet18), or pixels for raw-pixel features";

    /// <summary>
    /// Loads what <paramref name="spec"/> names (see <see cref="Help"/>) for images with
    /// <paramref name="dataChannels"/> channels; random weights are drawn from <paramref name="seed"/>.
    /// </summary>
    public static EvalBackbone Load(string spec, int dataChannels, int seed)
    {
        if (spec.Equals("pixels", StringComparison.OrdinalIgnoreCase))
            return new EvalBackbone(Flatten(), null, "raw pixels", null, "none");
        if (spec.StartsWith("random:", StringComparison.OrdinalIgnoreCase))
        {
            var parts = spec.Split(':');
            int width = parts.Length > 2 ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 64;
            var options = new ResNetOptions(ResNetArchitecture.Parse(parts[1]), dataChannels, CifarStem: true, Width: width);
            var random = SemiSupervised.Fresh(options, seed);
            return new EvalBackbone(random, random, $"random {options.Architecture.Name} (width {width}, seed {seed})", null, "none");
        }
        return FromRun(spec, dataChannels);
    }

    /// <summary>
    /// The backbone of a pre-training run folder: <c>config.json</c> (the run's options: backbone,
    /// width, cifar-stem, channels, augment) and <c>backbone.dat</c> (TorchSharp weights). This is
    /// the one place that knows the training branch's checkpoint layout.
    /// </summary>
    public static EvalBackbone FromRun(string directory, int dataChannels)
    {
        if (BackboneFile.Exists(directory)) // imported weights (Interop/BackboneFile: backbone.json + backbone.safetensors)
        {
            var imported = BackboneFile.Load(directory);
            return new EvalBackbone(ChannelAdapter.ForData(imported, dataChannels), imported, Path.GetFullPath(directory), null,
                                    ChannelAdapter.Describe(imported.Options.InputChannels, dataChannels));
        }
        string config = Path.Combine(directory, "config.json"), weights = Path.Combine(directory, "backbone.dat");
        if (!File.Exists(config) || !File.Exists(weights))
            throw new FileNotFoundException(
                $"'{directory}' is not a finished pre-training run: it needs config.json and backbone.dat " +
                $"(written by `barlow pretrain`). Or pass {Help}.");
        using var json = JsonDocument.Parse(File.ReadAllText(config));
        var root = json.RootElement;
        var options = new ResNetOptions(
            ResNetArchitecture.Parse(root.GetProperty("backbone").GetString()!),
            root.TryGetProperty("channels", out var c) ? c.GetInt32() : 3,
            root.TryGetProperty("cifar-stem", out var stem) && stem.GetBoolean(),
            root.TryGetProperty("width", out var w) ? w.GetInt32() : 64);
        var backbone = new ResNet(options);
        backbone.load(weights);
        string? augment = root.TryGetProperty("augment", out var a) ? a.GetString() : null;
        return new EvalBackbone(ChannelAdapter.ForData(backbone, dataChannels), backbone, Path.GetFullPath(directory), augment,
                                ChannelAdapter.Describe(options.InputChannels, dataChannels));
    }
}
