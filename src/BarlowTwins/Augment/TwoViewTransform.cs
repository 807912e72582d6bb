using BarlowTwins.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// The Barlow Twins views of a batch. Per image, in parallel: draw both views' parameters from the
/// image's own generator (seeded by batch seed and index in the batch, so the result never depends
/// on threads), then crop, resize and flip each view straight from the 8-bit pixels. Then per view,
/// batched on <see cref="Device"/>: jitter, greyscale, blur, solarize with per-image parameters,
/// and normalisation.
/// </summary>
public sealed class TwoViewTransform : IBatchTransform<TwoViewBatch>
{
    private readonly int _parallelism;

    /// <summary>A transform for <paramref name="recipe"/>; <paramref name="parallelism"/> threads render geometry (−1: all cores).</summary>
    public TwoViewTransform(TwoViewRecipe recipe, Device? device = null, int parallelism = -1)
    {
        recipe.Validate();
        Recipe = recipe;
        Device = device ?? CPU;
        _parallelism = parallelism;
    }

    /// <summary>The views this transform makes.</summary>
    public TwoViewRecipe Recipe { get; }

    /// <summary>Where the photometric operations and the result live.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public TwoViewBatch Apply(IReadOnlyList<ImageSample> images, long seed)
    {
        BatchLabels.EnsureNotEmpty(images);
        int n = images.Count, size = Recipe.Size;
        var bufferA = new ImageBuffer(n, Recipe.Channels, size);
        var bufferB = new ImageBuffer(n, Recipe.Channels, size);
        var drawsA = new ViewDraw[n];
        var drawsB = new ViewDraw[n];
        ParallelImages.For(n, _parallelism, i =>
        {
            var image = images[i];
            var random = new SampleRandom(seed, i);
            drawsA[i] = ViewSampler.Draw(Recipe.A, image.Height, image.Width, random);
            drawsB[i] = ViewSampler.Draw(Recipe.B, image.Height, image.Width, random);
            ResizedCrop.Render(image, drawsA[i].Crop, size, size, drawsA[i].Flip, ResampleFilter.Bicubic, bufferA.Image(i));
            ResizedCrop.Render(image, drawsB[i].Crop, size, size, drawsB[i].Flip, ResampleFilter.Bicubic, bufferB.Image(i));
        });
        using var scope = NewDisposeScope();
        var viewA = Finish(bufferA, drawsA);
        var viewB = Finish(bufferB, drawsB);
        var labels = BatchLabels.Of(images, Device);
        return new TwoViewBatch(viewA.MoveToOuterDisposeScope(), viewB.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    private Tensor Finish(ImageBuffer buffer, ViewDraw[] draws) =>
        Recipe.Normalization.Apply(ViewPhotometrics.Apply(buffer.ToTensor(Device), draws, Recipe.BlurKernelSize));
}
