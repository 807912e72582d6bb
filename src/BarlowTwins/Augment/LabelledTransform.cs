using BarlowTwins.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>
/// A transform to one labelled view per image (evaluation and linear-probe input): each image is
/// rendered in parallel from its own generator, then the batch is clamped and normalised.
/// </summary>
public abstract class LabelledTransform : IBatchTransform<LabelledBatch>
{
    private readonly int _parallelism;

    /// <summary>Views of <paramref name="size"/> px; <paramref name="parallelism"/> threads render them (−1: all cores).</summary>
    private protected LabelledTransform(int size, Normalization normalization, Device? device, int parallelism)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive");
        Size = size;
        Normalization = normalization;
        Device = device ?? CPU;
        _parallelism = parallelism;
    }

    /// <summary>Output side in pixels.</summary>
    public int Size { get; }

    /// <summary>Channels, mean and std of the output.</summary>
    public Normalization Normalization { get; }

    /// <summary>Where the result lives.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public LabelledBatch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0)
    {
        BatchLabels.EnsureNotEmpty(images);
        var buffer = new ImageBuffer(images.Count, Normalization.Channels, Size);
        ParallelImages.For(images.Count, _parallelism, i => Render(images[i], new SampleRandom(seed, firstIndex + i), buffer.Image(i)));
        return Normalization.Finish(buffer, images, Device);
    }

    /// <summary>Renders one image into <paramref name="target"/> (channels × Size × Size, in [0, 1] before clamping).</summary>
    private protected abstract void Render(ImageSample image, SampleRandom random, Span<float> target);
}
