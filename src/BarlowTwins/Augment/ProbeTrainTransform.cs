using BarlowTwins.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// Training input of the linear probe (the paper's protocol): random resized crop (bicubic,
/// antialiased) and horizontal flip per image, drawn from the image's own generator, then
/// normalisation. No colour distortion.
/// </summary>
public sealed class ProbeTrainTransform : IBatchTransform<LabelledBatch>
{
    private readonly int _parallelism;

    /// <summary>Crops of <paramref name="size"/> px covering a <paramref name="cropScale"/> fraction of the image, ratio (3/4, 4/3).</summary>
    public ProbeTrainTransform(int size, Interval cropScale, Normalization normalization, Device? device = null, int parallelism = -1)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive");
        cropScale.Ensure(nameof(cropScale), v => v > 0 && v <= 1, "0 < scale ≤ 1");
        Size = size;
        CropScale = cropScale;
        Normalization = normalization;
        Device = device ?? CPU;
        _parallelism = parallelism;
    }

    /// <summary>The probe's training input for a pre-training recipe (its size, crop scale of view A and normalisation).</summary>
    public static ProbeTrainTransform For(TwoViewRecipe recipe, Device? device = null, int parallelism = -1) =>
        new(recipe.Size, recipe.A.CropScale, recipe.Normalization, device, parallelism);

    /// <summary>Output side in pixels.</summary>
    public int Size { get; }

    /// <summary>Fraction of the image area a crop covers.</summary>
    public Interval CropScale { get; }

    /// <summary>Channels, mean and std of the output.</summary>
    public Normalization Normalization { get; }

    /// <summary>Where the result lives.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public LabelledBatch Apply(IReadOnlyList<ImageSample> images, long seed)
    {
        BatchLabels.EnsureNotEmpty(images);
        var buffer = new ImageBuffer(images.Count, Normalization.Channels, Size);
        ParallelImages.For(images.Count, _parallelism, i =>
        {
            var image = images[i];
            var random = new SampleRandom(seed, i);
            var crop = ViewSampler.RandomCrop(CropScale, new Interval(3.0 / 4.0, 4.0 / 3.0), image.Height, image.Width, random);
            ResizedCrop.Render(image, crop, Size, Size, random.Chance(0.5), ResampleFilter.Bicubic, buffer.Image(i));
        });
        return Normalization.Finish(buffer, images, Device);
    }
}
