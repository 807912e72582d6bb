using System.Numerics;
using BarlowTwins.Data;

namespace BarlowTwins.Training.Options;

/// <summary>A preset chosen for the data, and why.</summary>
/// <param name="Name">The preset's name (<see cref="PretrainPresets.All"/>).</param>
/// <param name="Options">The preset, with the image size that suits the data and a batch that fits it.</param>
/// <param name="Reason">What was seen in the data, for the user to read.</param>
public sealed record ChosenPreset(string Name, PretrainOptions Options, string Reason)
{
    /// <summary>
    /// The line a run prints about the choice, with the crop size and batch of <paramref name="final"/>,
    /// the options that will run (these <see cref="Options"/>, then the config file and the flags),
    /// and a word when the batch is not the preset's because the data holds fewer images.
    /// </summary>
    public string Describe(PretrainOptions final)
    {
        int presetBatch = PretrainPresets.Get(Name).BatchSize;
        string fitted = final.BatchSize == Options.BatchSize && Options.BatchSize != presetBatch
            ? $" (not the preset's {presetBatch}, which is more than the data holds; --batch-size sets another)"
            : "";
        return $"preset {Name}, chosen for the data ({Reason}); {final.ImageSize} px crops, batch {final.BatchSize}{fitted}; " +
               "--preset NAME chooses another";
    }
}

/// <summary>
/// The preset of a run that names none (<c>--preset auto</c>, the default), so that no source is
/// trained in the wrong colour or at a size that does not suit it. Known formats take their own
/// preset (Fashion-MNIST and IDX: fashion-mnist, 28 px grey; CIFAR: cifar, 32 px colour). For
/// folders and synthetic images it looks at a sample of the images: colour ones under
/// <see cref="SmallSide"/> px (median shorter side) take cifar at 32 px; larger ones imagenet at
/// 224 px, or at their median shorter side when that is smaller (never upsampled). Grey ones
/// (<c>?channels=1</c>) under <see cref="SmallSide"/> px take fashion-mnist; larger grey images fit no
/// preset, and the error says what to pass. When the images pre-training reads are fewer than the
/// preset's batch, the batch is the largest power of two that still gives a full batch (a run
/// refuses data without one), and <see cref="ChosenPreset.Describe"/> says so.
/// </summary>
public static class PresetChoice
{
    /// <summary>The preset name that asks for this choice.</summary>
    public const string Auto = "auto";

    /// <summary>Images whose median shorter side is below this are small: the CIFAR-stem presets suit them.</summary>
    public const int SmallSide = 64;

    /// <summary>Images looked at (evenly spaced over the training split).</summary>
    public const int SampleImages = 32;

    /// <summary>The preset for <paramref name="data"/> (a data spec); opens folders and synthetic data to look at them.</summary>
    /// <exception cref="ArgumentException">Large grey images: no preset suits them.</exception>
    public static ChosenPreset For(string data)
    {
        var spec = DataSpec.Parse(data);
        return spec.Kind switch
        {
            "fashion-mnist" or "idx" => Named("fashion-mnist", $"{spec.Kind} images are 28 px grey"),
            "cifar10" or "cifar100" => Named("cifar", $"{spec.Kind} images are 32 px colour"),
            _ => ForImages(data, spec.Open(spec.PretrainingSplit)),
        };
    }

    /// <summary>The preset for images like those of <paramref name="source"/>, the images pre-training reads.</summary>
    public static ChosenPreset ForImages(string data, IImageSource source)
    {
        int side = MedianShorterSide(source);
        string seen = $"{data}: {source.Count} {(source.Channels == 3 ? "colour" : "grey")} images, median shorter side {side} px";
        if (source.Channels == 3 && side < SmallSide) return Fitted("cifar", PretrainPresets.Cifar, seen, source.Count);
        if (source.Channels == 3)
        {
            var imagenet = PretrainPresets.ImageNet;
            return Fitted("imagenet", imagenet with { ImageSize = Math.Min(imagenet.ImageSize, side) }, seen, source.Count);
        }
        if (side < SmallSide) return Fitted("fashion-mnist", PretrainPresets.FashionMnist, seen, source.Count);
        throw new ArgumentException(
            $"{seen}: no preset suits large grey images. Pass --preset imagenet --channels 1 --augment fashion-mnist --image-size {Math.Min(224, side)}, " +
            "or drop ?channels=1 to train them in colour.");
    }

    private static ChosenPreset Named(string name, string reason) => new(name, PretrainPresets.Get(name), reason);

    /// <summary>
    /// The batch for fewer <paramref name="images"/> (at least 2) than a preset's batch: the largest power
    /// of two that still gives one full batch (a power of two splits evenly over ranks).
    /// </summary>
    internal static int BatchThatFits(int images) => 1 << BitOperations.Log2((uint)images);

    // Fewer than two images are left to the run to refuse.
    private static ChosenPreset Fitted(string name, PretrainOptions preset, string seen, int images) =>
        new(name, images >= preset.BatchSize || images < 2 ? preset : preset with { BatchSize = BatchThatFits(images) }, seen);

    private static int MedianShorterSide(IImageSource source)
    {
        int count = Math.Min(SampleImages, source.Count);
        var sides = Enumerable.Range(0, count)
                              .Select(i => source.Get((int)((long)i * source.Count / count)))
                              .Select(image => Math.Min(image.Height, image.Width))
                              .Order().ToList();
        return sides[count / 2];
    }
}
