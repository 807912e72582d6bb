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
        var a = new ViewBatch(Recipe.A, size, Recipe.Channels, n);
        var b = new ViewBatch(Recipe.B, size, Recipe.Channels, n);
        var locals = Recipe.Locals is { } l ? new ViewBatch(l.View, l.Size, Recipe.Channels, l.Count * n) : null;
        ParallelImages.For(n, clock is null ? _parallelism : 1, i =>
        {
            var image = images[i];
            // A, B, then the small views, from one generator per image: adding small views leaves A and B as they were.
            var random = new SampleRandom(seed, firstIndex + i);
            a.Draw(i, image, random);
            b.Draw(i, image, random);
            for (int k = 0; k < Recipe.Locals?.Count; k++) locals!.Draw(k * n + i, image, random);
            clock?.Lap("draw parameters");
            Render(image, a, i, clock);
            Render(image, b, i, clock);
            for (int k = 0; k < Recipe.Locals?.Count; k++) Render(image, locals!, k * n + i, clock);
        });
        using var scope = NewDisposeScope();
        var viewA = Finish(a);
        var viewB = Finish(b);
        var small = locals is null ? null : Finish(locals).view(Recipe.Locals!.Count, n, Recipe.Channels, Recipe.Locals.Size, Recipe.Locals.Size);
        var labels = BatchLabels.Of(images, Device);
        clock?.Lap("batching");
        return new TwoViewBatch(viewA.MoveToOuterDisposeScope(), viewB.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(),
                                small?.MoveToOuterDisposeScope());
    }

    /// <summary>On CPU the photometric ops run per image right after its geometry, while its pixels are in cache.</summary>
    private bool PhotometricOnCpu => Device.type == DeviceType.CPU;

    private void Render(ImageSample image, ViewBatch views, int index, StageClock? clock)
    {
        var draw = views.Draws[index];
        var target = views.Buffer.Image(index);
        ResizedCrop.Render(image, draw.Crop, views.Size, views.Size, draw.Flip, ResampleFilter.Bicubic, target);
        clock?.Lap("crop+resize+flip");
        if (PhotometricOnCpu)
            ViewPhotometrics.ApplyInPlace(target, Recipe.Channels, views.Size, draw, views.BlurKernelSize, Recipe.Normalization, clock);
    }

    /// <summary>The rendered views as one tensor; on accelerators the photometric ops run here, batched on <see cref="Device"/>.</summary>
    private Tensor Finish(ViewBatch views) => PhotometricOnCpu
        ? views.Buffer.ToTensor(Device)
        : Recipe.Normalization.Apply(ViewPhotometrics.Apply(views.Buffer.ToTensor(Device), views.Draws, views.BlurKernelSize));

    /// <summary>One kind of view of a batch being rendered: its recipe, side, random draws and pixels.</summary>
    private sealed class ViewBatch(ViewRecipe recipe, int size, int channels, int count)
    {
        public int Size { get; } = size;
        public int BlurKernelSize { get; } = TwoViewRecipe.BlurKernelFor(size);
        public ViewDraw[] Draws { get; } = new ViewDraw[count];
        public ImageBuffer Buffer { get; } = new(count, channels, size);

        public void Draw(int index, ImageSample image, SampleRandom random) =>
            Draws[index] = ViewSampler.Draw(recipe, image.Height, image.Width, random);
    }
}
