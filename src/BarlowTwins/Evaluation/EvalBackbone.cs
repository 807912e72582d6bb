using BarlowTwins.Interop;
using BarlowTwins.Models;
using BarlowTwins.Training;
using BarlowTwins.Training.Options;
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
/// <param name="ImageSize">Input size the backbone was pre-trained at, when known.</param>
public sealed record EvalBackbone(Module<Tensor, Tensor> Network, ResNet? ResNet, string Description, string? Augment,
                                  string ChannelAdaptation, int? ImageSize = null)
{
    /// <summary>Help text for the <c>--checkpoint</c> option.</summary>
    public const string Help =
        $"a pre-training run folder ({RunFolder.ConfigFileName} + {RunFolder.BackboneFileName}) or its {RunFolder.BackboneFileName}, a backbone folder from `barlow import`, random:ARCH[:WIDTH[:STEMSTRIDE]] for a randomly initialised " +
        "ResNet (torchvision init) with the CIFAR stem (e.g. random:resnet18, random:resnet18:64:2), or pixels for raw-pixel features";

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
            int Part(int i, int absent) => parts.Length > i ? int.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture) : absent;
            int width = Part(2, 64);
            // torchvision's default initialisation (no zero-init residual): a generic random network.
            var options = new ResNetOptions(ResNetArchitecture.Parse(parts[1]), dataChannels, CifarStem: true, Width: width,
                                            ZeroInitResidual: false, StemStride: Part(3, 1));
            var random = SemiSupervised.Fresh(options, seed);
            return new EvalBackbone(random, random, $"random {options.Architecture.Name} (width {width}, {options.StemDescription}, seed {seed})", null, "none");
        }
        return FromRun(spec, dataChannels, accepted: Help);
    }

    /// <summary>
    /// The backbone of a pre-training run folder: <c>config.json</c> (the run's
    /// <see cref="PretrainOptions"/>) and <c>backbone.dat</c> (TorchSharp weights, written when the
    /// run ends), or of a backbone folder (<see cref="BackboneFile"/>); <paramref name="path"/> may
    /// also name a file in either folder (e.g. RUN/backbone.dat). This is the one place that knows
    /// the trainer's run layout. An error ends with what may be passed: <paramref name="accepted"/>
    /// (the caller's help text: eval also takes random weights and pixels, embed does not).
    /// </summary>
    public static EvalBackbone FromRun(string path, int dataChannels, string accepted = BackboneSource.Help)
    {
        var directory = FolderOf(path, accepted);
        if (BackboneFile.Exists(directory)) // imported weights (Interop/BackboneFile: backbone.json + backbone.safetensors)
        {
            var imported = BackboneFile.Load(directory);
            return new EvalBackbone(ChannelAdapter.ForData(imported, dataChannels), imported, Path.GetFullPath(directory), null,
                                    ChannelAdapter.Describe(imported.Options.InputChannels, dataChannels));
        }
        var (backbone, options) = ReadRun(directory, accepted);
        return new EvalBackbone(ChannelAdapter.ForData(backbone, dataChannels), backbone, Path.GetFullPath(directory), options.Augment,
                                ChannelAdapter.Describe(backbone.Options.InputChannels, dataChannels), options.ImageSize);
    }

    // The files a run or backbone folder holds: a path to one of them stands for its folder.
    private static readonly string[] FolderFiles =
        [RunFolder.BackboneFileName, RunFolder.ConfigFileName, BackboneFile.OptionsFileName, BackboneFile.WeightsFileName];

    /// <summary>The run or backbone folder <paramref name="path"/> names: the folder itself, or the folder of one of its files.</summary>
    internal static string FolderOf(string path, string accepted)
    {
        if (Directory.Exists(path)) return path;
        if (!File.Exists(path)) throw new DirectoryNotFoundException($"Checkpoint not found: '{path}'. Pass {accepted}.");
        if (!FolderFiles.Contains(Path.GetFileName(path), StringComparer.Ordinal))
            throw new ArgumentException($"'{path}' is a file but not one of a run or backbone folder ({string.Join(", ", FolderFiles)}). Pass {accepted}.");
        return Path.GetDirectoryName(Path.GetFullPath(path))!;
    }

    /// <summary>The trained backbone of a run folder and the options it was trained with.</summary>
    internal static (ResNet Backbone, PretrainOptions Options) ReadRun(string directory, string accepted = BackboneSource.Help)
    {
        var run = new RunFolder(directory);
        if (!run.IsFinished)
            throw new FileNotFoundException(
                $"'{directory}' is not a finished pre-training run: it needs {RunFolder.ConfigFileName} and " +
                $"{RunFolder.BackboneFileName} (written by `barlow pretrain` when it ends). Or pass {accepted}.");
        var options = PretrainOptionsJson.Load(run.Config);
        var backbone = new ResNet(options.BackboneOptions());
        backbone.load(run.Backbone);
        return (backbone, options);
    }
}
