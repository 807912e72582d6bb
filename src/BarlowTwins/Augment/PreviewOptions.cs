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
/// <param name="Blur">The global views' blur probabilities, as pre-training's <c>--blur</c>; null: the preset's.</param>
/// <param name="Solarize">The global views' solarization probabilities, as pre-training's <c>--solarize</c>; null: the preset's.</param>
public sealed record PreviewOptions(string Data, string Out, string Augment = PreviewOptions.AutoAugment, int Count = 8, long Seed = 0,
                                    DataSplit Split = DataSplit.Train, bool Epoch = false, int BatchSize = 256, int Workers = 2,
                                    Interval? CropScale = null, double JitterStrength = 1,
                                    ViewProbabilities? Blur = null, ViewProbabilities? Solarize = null)
{
    /// <summary>The augmentation preset's name, <see cref="Augment"/> or, for <see cref="AutoAugment"/>, the data kind's.</summary>
    public string PresetName => Augment == AutoAugment ? DataSpec.Parse(Data).DefaultPreset : Augment;

    /// <summary>The views shown: the preset's, adjusted as pre-training adjusts them (<see cref="TwoViewRecipe.Adjusted"/>).</summary>
    public TwoViewRecipe ViewRecipe() => TwoViewRecipe.Preset(PresetName).Adjusted(JitterStrength, CropScale, Blur, Solarize);

    /// <summary>The <see cref="Augment"/> value that takes the data kind's preset (<see cref="DataSpec.DefaultPreset"/>).</summary>
    public const string AutoAugment = "auto";

    /// <summary>Throws an <see cref="ArgumentException"/> naming every option that cannot work, before anything is read or written.</summary>
    public void Validate() => new OptionChecks()
        .AtLeast("count", Count, 1).AtLeast("batch-size", BatchSize, 1).AtLeast("workers", Workers, 0)
        .Problem(Interval.ScaleProblem("crop-scale", CropScale)).NotNegative("jitter-strength", JitterStrength)
        .Problem(ViewProbabilities.Problem("blur", Blur)).Problem(ViewProbabilities.Problem("solarize", Solarize))
        .Parses(() => DataSpec.Parse(Data))
        .Parses(() => { if (Augment != AutoAugment) TwoViewRecipe.Preset(Augment); })
        .ThrowIfAny("preview");
}
