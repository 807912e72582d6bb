using BarlowTwins.Data;

namespace BarlowTwins.Augment;

/// <summary>What <c>barlow preview</c> does (<see cref="ViewPreview"/>).</summary>
/// <param name="Data">A <see cref="DataSpec"/>, e.g. fashion-mnist or folder:/photos.</param>
/// <param name="Out">The PNG to write.</param>
/// <param name="Augment">Augmentation preset (<see cref="TwoViewRecipe.Presets"/>), or <see cref="AutoAugment"/> for the data kind's.</param>
/// <param name="Count">Rows (images) of the grid.</param>
/// <param name="Seed">Seed of the image choice and the views.</param>
/// <param name="Split">Which images of the data.</param>
/// <param name="Epoch">Then read a whole epoch of two-view batches through the loader, for its speed.</param>
/// <param name="BatchSize">Batch size of <paramref name="Epoch"/>.</param>
/// <param name="Workers">Loader worker threads of <paramref name="Epoch"/>.</param>
/// <param name="CropScale">The global views' crop-area range, as pre-training's <c>--crop-scale</c>; null: the preset's.</param>
/// <param name="JitterStrength">Colour-jitter ranges × this, as pre-training's <c>--jitter-strength</c>; 1: the preset's.</param>
public sealed record PreviewOptions(string Data, string Out, string Augment = PreviewOptions.AutoAugment, int Count = 8, long Seed = 0,
                                    DataSplit Split = DataSplit.Train, bool Epoch = false, int BatchSize = 256, int Workers = 2,
                                    Interval? CropScale = null, double JitterStrength = 1)
{
    /// <summary>The augmentation preset's name, <see cref="Augment"/> or, for <see cref="AutoAugment"/>, the data kind's.</summary>
    public string PresetName => Augment == AutoAugment ? DataSpec.Parse(Data).DefaultPreset : Augment;

    /// <summary>The views shown: the preset's, with <see cref="CropScale"/> and <see cref="JitterStrength"/> as pre-training applies them.</summary>
    public TwoViewRecipe ViewRecipe() => TwoViewRecipe.Preset(PresetName).WithJitterStrength(JitterStrength).WithCropScale(CropScale);

    /// <summary>The <see cref="Augment"/> value that takes the data kind's preset (<see cref="DataSpec.DefaultPreset"/>).</summary>
    public const string AutoAugment = "auto";

    /// <summary>Throws an <see cref="ArgumentException"/> naming every option that cannot work, before anything is read or written.</summary>
    public void Validate() => new OptionChecks()
        .AtLeast("count", Count, 1).AtLeast("batch-size", BatchSize, 1).AtLeast("workers", Workers, 0)
        .Problem(Interval.ScaleProblem("crop-scale", CropScale)).NotNegative("jitter-strength", JitterStrength)
        .Parses(() => DataSpec.Parse(Data))
        .Parses(() => { if (Augment != AutoAugment) TwoViewRecipe.Preset(Augment); })
        .ThrowIfAny("preview");
}
