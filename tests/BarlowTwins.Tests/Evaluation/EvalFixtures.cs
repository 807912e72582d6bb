using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Evaluation;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Evaluation;

/// <summary>Tiny in-memory images and features for the evaluation tests.</summary>
internal static class EvalFixtures
{
    /// <summary>Images held in memory; each is <c>size × size</c> with the given channels.</summary>
    public sealed class MemorySource(IReadOnlyList<ImageSample> images, IReadOnlyList<string> classes) : IImageSource
    {
        public int Count => images.Count;
        public int Channels => images[0].Channels;
        public IReadOnlyList<string> Classes => classes;
        public string Description => $"memory ({images.Count} images)";
        public ImageSample Get(int index) => images[index];
    }

    /// <summary>Pixels / 255 − 0.5, no randomness: stands in for the augmentation branch's transforms.</summary>
    public sealed class PixelTransform : IBatchTransform<LabelledBatch>
    {
        public LabelledBatch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0)
        {
            var first = images[0];
            var pixels = images.SelectMany(i => i.Pixels).Select(p => p / 255f - 0.5f).ToArray();
            var hwc = tensor(pixels).view(images.Count, first.Height, first.Width, first.Channels);
            return new LabelledBatch(hwc.permute(0, 3, 1, 2).contiguous(), tensor(images.Select(i => (long)i.Label).ToArray()));
        }
    }

    /// <summary>
    /// Images whose class is their mean brightness band (class c ≈ grey level 40 + 60c, plus noise):
    /// easy for any backbone that keeps the mean.
    /// </summary>
    public static MemorySource BrightnessImages(int perClass, int classes, int size, int channels, int seed)
    {
        var random = new Random(seed);
        var images = new List<ImageSample>();
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                var pixels = new byte[size * size * channels];
                for (int p = 0; p < pixels.Length; p++) pixels[p] = (byte)Math.Clamp(40 + 60 * c + random.Next(-15, 16), 0, 255);
                images.Add(new ImageSample(pixels, size, size, channels, c));
            }
        return new MemorySource(images, Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray());
    }

    /// <summary>
    /// <paramref name="perClass"/> points per class around well-separated centres (distance ≈ 4,
    /// noise σ 0.3) in <paramref name="dimension"/> dimensions: linearly separable with margin.
    /// </summary>
    public static FeatureSet Blobs(int perClass, int classes, int dimension, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var centres = randn(classes, dimension, generator: new Generator(12345)) * 2;
        var labels = arange(classes).repeat_interleave(perClass);
        var features = centres.index_select(0, labels) + randn(classes * perClass, dimension, generator: generator) * 0.3f;
        return new FeatureSet(features, labels, Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray());
    }
}
