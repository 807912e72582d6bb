using BarlowTwins.Augment;
using BarlowTwins.Data;

namespace BarlowTwins.Evaluation;

/// <summary>Reads a source in batches, in a given order, through a transform.</summary>
internal static class SourceBatches
{
    /// <summary>
    /// Batches of <paramref name="source"/> in <paramref name="order"/> (all images in index order
    /// when null). Batch b gets transform seed <paramref name="seed"/> · 1 000 003 + b, so a run
    /// replays exactly. Images are decoded in parallel; the transform runs on the caller's thread.
    /// </summary>
    public static IEnumerable<TBatch> Read<TBatch>(IImageSource source, IBatchTransform<TBatch> transform,
                                                   int batchSize, IReadOnlyList<int>? order = null, long seed = 0)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be ≥ 1.");
        int count = order?.Count ?? source.Count;
        for (int start = 0, b = 0; start < count; start += batchSize, b++)
        {
            int n = Math.Min(batchSize, count - start);
            var images = new ImageSample[n];
            Parallel.For(0, n, i => images[i] = source.Get(order is null ? start + i : order[start + i]));
            yield return transform.Apply(images, seed * 1_000_003 + b);
        }
    }

    /// <summary>
    /// One training epoch of <paramref name="source"/>: a fresh order and fresh augmentation draws
    /// for every (<paramref name="seed"/>, <paramref name="epoch"/>).
    /// </summary>
    public static IEnumerable<TBatch> Epoch<TBatch>(IImageSource source, IBatchTransform<TBatch> transform, int batchSize,
                                                    int seed, int epoch)
    {
        int epochSeed = seed * 7919 + epoch;
        return Read(source, transform, batchSize, Shuffled(source.Count, epochSeed), epochSeed);
    }

    /// <summary>A permutation of 0 … n−1 drawn from <paramref name="seed"/>.</summary>
    public static int[] Shuffled(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }
}
