using BarlowTwins.Data;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Training input of the linear probe (the paper's protocol): random resized crop (bicubic,
/// antialiased, ratio 3/4 … 4/3) and horizontal flip per image, drawn from the image's own
/// generator, then normalisation. No colour distortion.
/// </summary>
public sealed class ProbeTrainTransform : LabelledTransform
{
    private static readonly Interval Ratio = new(3.0 / 4.0, 4.0 / 3.0);

    /// <summary>Crops of <paramref name="size"/> px covering a <paramref name="cropScale"/> fraction of the image.</summary>
    public ProbeTrainTransform(int size, Interval cropScale, Normalization normalization, Device? device = null, int parallelism = -1)
        : base(size, normalization, device, parallelism)
    {
        cropScale.EnsureScale(nameof(cropScale));
        CropScale = cropScale;
    }

    /// <summary>The probe's training input for a pre-training recipe (its size, crop scale of view A and normalisation).</summary>
    public static ProbeTrainTransform For(TwoViewRecipe recipe, Device? device = null, int parallelism = -1) =>
        new(recipe.Size, recipe.A.CropScale, recipe.Normalization, device, parallelism);

    /// <summary>Fraction of the image area a crop covers.</summary>
    public Interval CropScale { get; }

    private protected override void Render(ImageSample image, SampleRandom random, Span<float> target)
    {
        var crop = ViewSampler.RandomCrop(CropScale, Ratio, image.Height, image.Width, random);
        ResizedCrop.Render(image, crop, Size, Size, random.Chance(0.5), ResampleFilter.Bicubic, target);
    }
}
