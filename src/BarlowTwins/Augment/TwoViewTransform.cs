using BarlowTwins.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// The Barlow Twins views of a batch. Per image, in parallel: draw both views' parameters from the
/// image's own generator (seeded by batch seed and index in the batch, so the result never depends
/// on threads), then crop, resize and flip each view straight from the 8-bit pixels. Then the
/// photometric ops (jitter, greyscale, blur, solarize with per-image parameters, normalisation):
/// on an accelerator batched per view as tensor ops on <see cref="Device"/>; on CPU per image, in
/// the same parallel pass, where the freshly resized pixels are still in cache (3–4× faster than
/// chains of batched tensor ops, which each stream the whole batch through memory).
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
    public TwoViewBatch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0) => Apply(images, seed, firstIndex, clock: null);

    /// <summary>
    /// <see cref="Apply(IReadOnlyList{ImageSample}, long, int)"/>, charging each stage's time to
    /// <paramref name="clock"/> when given (then on the calling thread only).
    /// </summary>
    internal TwoViewBatch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex, StageClock? clock)
    {
        BatchLabels.EnsureNotEmpty(images);
        int n = images.Count, size = Recipe.Size;
        var bufferA = new ImageBuffer(n, Recipe.Channels, size);
        var bufferB = new ImageBuffer(n, Recipe.Channels, size);
        var drawsA = new ViewDraw[n];
        var drawsB = new ViewDraw[n];
        ParallelImages.For(n, clock is null ? _parallelism : 1, i =>
        {
            var image = images[i];
            var random = new SampleRandom(seed, firstIndex + i);
            drawsA[i] = ViewSampler.Draw(Recipe.A, image.Height, image.Width, random);
            drawsB[i] = ViewSampler.Draw(Recipe.B, image.Height, image.Width, random);
            clock?.Lap("draw parameters");
            Render(image, drawsA[i], bufferA.Image(i), clock);
            Render(image, drawsB[i], bufferB.Image(i), clock);
        });
        using var scope = NewDisposeScope();
        var viewA = PhotometricOnCpu ? bufferA.ToTensor(Device) : Finish(bufferA, drawsA);
        var viewB = PhotometricOnCpu ? bufferB.ToTensor(Device) : Finish(bufferB, drawsB);
        var labels = BatchLabels.Of(images, Device);
        clock?.Lap("batching");
        return new TwoViewBatch(viewA.MoveToOuterDisposeScope(), viewB.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>On CPU the photometric ops run per image right after its geometry, while its pixels are in cache.</summary>
    private bool PhotometricOnCpu => Device.type == DeviceType.CPU;

    private void Render(ImageSample image, ViewDraw draw, Span<float> target, StageClock? clock)
    {
        ResizedCrop.Render(image, draw.Crop, Recipe.Size, Recipe.Size, draw.Flip, ResampleFilter.Bicubic, target);
        clock?.Lap("crop+resize+flip");
        if (PhotometricOnCpu)
            ViewPhotometrics.ApplyInPlace(target, Recipe.Channels, Recipe.Size, draw, Recipe.BlurKernelSize, Recipe.Normalization, clock);
    }

    /// <summary>Batched photometric ops on <see cref="Device"/> (accelerators).</summary>
    private Tensor Finish(ImageBuffer buffer, ViewDraw[] draws) =>
        Recipe.Normalization.Apply(ViewPhotometrics.Apply(buffer.ToTensor(Device), draws, Recipe.BlurKernelSize));
}
