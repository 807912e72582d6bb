using BarlowTwins.Interop;
using BarlowTwins.Models;
using BarlowTwins.Training;

namespace BarlowTwins.Evaluation;

/// <summary>A loaded backbone and what is known about how it was trained.</summary>
/// <param name="Backbone">The network, owned by the caller.</param>
/// <param name="Augment">The augmentation preset of its pre-training run, when known.</param>
/// <param name="ImageSize">The input size of its pre-training run, when known.</param>
public sealed record LoadedBackbone(ResNet Backbone, string? Augment, int? ImageSize = null)
{
    /// <summary>What an export records about it (architecture, input size, normalisation).</summary>
    public BackboneMetadata Metadata => BackboneMetadata.Of(Backbone, Augment, ImageSize);
}

/// <summary>
/// Opens whatever folder holds a backbone: a backbone folder (<see cref="BackboneFile"/>, written by
/// <c>barlow import</c>) or a pre-training run folder (config.json + backbone.dat), through
/// <see cref="EvalBackbone.FromRun"/>, the one place that knows both layouts.
/// </summary>
public static class BackboneSource
{
    /// <summary>Help text for <c>--checkpoint</c> options.</summary>
    public const string Help = $"a backbone folder ({BackboneFile.OptionsFileName} + {BackboneFile.WeightsFileName}, from 'barlow import'), " +
                               $"a pre-training run folder ({RunFolder.ConfigFileName} + {RunFolder.BackboneFileName}) or its {RunFolder.BackboneFileName}";

    /// <summary>Loads the backbone <paramref name="path"/> names: a folder, or a file in one (see <see cref="Help"/>).</summary>
    public static LoadedBackbone Load(string path)
    {
        var run = EvalBackbone.FromRun(path, dataChannels: 3); // the channel adapter it may add is not used here
        return new LoadedBackbone(run.ResNet!, run.Augment, run.ImageSize);
    }
}
