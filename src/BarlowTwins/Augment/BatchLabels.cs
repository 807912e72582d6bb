using BarlowTwins.Data;
using static TorchSharp.torch;

namespace BarlowTwins.Augment;

/// <summary>What every transform does with a batch's labels.</summary>
internal static class BatchLabels
{
    /// <summary>The labels as an int64 tensor of N values.</summary>
    public static Tensor Of(IReadOnlyList<ImageSample> images, Device device) =>
        tensor(images.Select(image => (long)image.Label).ToArray(), device: device);

    /// <summary>Throws for an empty batch, which no transform can shape.</summary>
    public static void EnsureNotEmpty(IReadOnlyList<ImageSample> images)
    {
        if (images.Count == 0) throw new ArgumentException("cannot transform an empty batch", nameof(images));
    }
}
